/// The layouts shared by many kinds: object metadata, selectors and the pod template.
///
/// Field numbers are those of k8s.io/apimachinery `meta/v1` and k8s.io/api `core/v1`
/// `generated.proto`; JSON names and `keepZero` follow the Go types' `json` tags. The pod spec
/// covers what kubectl's generators write and the common fields of hand-written templates
/// (a `kubectl create job --from=cronjob/NAME` copies the cron job's template); fields not named
/// here are skipped.
extension ProtobufBody {
    /// `metav1.ObjectMeta`, the fields a client sets (system fields the server owns are skipped;
    /// `creationTimestamp` is read because Go writes it, as null, in every embedded ObjectMeta).
    static let objectMeta: Layout = [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 6: ("resourceVersion", .string),
        8: ("creationTimestamp", .time),
        11: ("labels", .map(.string)), 12: ("annotations", .map(.string)), 13: ("ownerReferences", .list(.message(ownerReference))),
        14: ("finalizers", .list(.string)),
    ]

    /// `metav1.OwnerReference`, e.g. what `kubectl create job --from=cronjob/NAME` sets.
    static let ownerReference: Layout = [
        5: ("apiVersion", .keepZero(.string)), 1: ("kind", .keepZero(.string)), 3: ("name", .keepZero(.string)),
        4: ("uid", .keepZero(.string)), 6: ("controller", .keepZero(.bool)), 7: ("blockOwnerDeletion", .keepZero(.bool)),
    ]

    /// `metav1.LabelSelector`.
    static let labelSelector: Layout = [
        1: ("matchLabels", .map(.string)),
        2: (
            "matchExpressions",
            .list(.message([1: ("key", .keepZero(.string)), 2: ("operator", .keepZero(.string)), 3: ("values", .list(.string))]))
        ),
    ]

    /// `core/v1 LocalObjectReference`.
    static let localObjectReference: Layout = [1: ("name", .string)]

    /// `core/v1 PodTemplateSpec`.
    static let podTemplateSpec: Layout = [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(podSpec))]

    /// `core/v1 PodSpec`.
    static let podSpec: Layout = [
        1: ("volumes", .list(.message(volume))), 20: ("initContainers", .list(.message(container))),
        2: ("containers", .keepZero(.list(.message(container)))), 3: ("restartPolicy", .string),
        4: ("terminationGracePeriodSeconds", .keepZero(.int64)), 5: ("activeDeadlineSeconds", .keepZero(.int64)),
        6: ("dnsPolicy", .string), 7: ("nodeSelector", .map(.string)), 8: ("serviceAccountName", .string),
        9: ("serviceAccount", .string), 21: ("automountServiceAccountToken", .keepZero(.bool)), 10: ("nodeName", .string),
        11: ("hostNetwork", .bool), 12: ("hostPID", .bool), 13: ("hostIPC", .bool), 27: ("shareProcessNamespace", .keepZero(.bool)),
        15: ("imagePullSecrets", .list(.message(localObjectReference))), 16: ("hostname", .string), 17: ("subdomain", .string),
        19: ("schedulerName", .string), 22: ("tolerations", .list(.message(toleration))), 24: ("priorityClassName", .string),
        25: ("priority", .keepZero(.int32)), 29: ("runtimeClassName", .keepZero(.string)),
        30: ("enableServiceLinks", .keepZero(.bool)), 31: ("preemptionPolicy", .keepZero(.string)),
        35: ("setHostnameAsFQDN", .keepZero(.bool)), 37: ("hostUsers", .keepZero(.bool)),
    ]

    /// `core/v1 Container`.
    static let container: Layout = [
        1: ("name", .keepZero(.string)), 2: ("image", .string), 3: ("command", .list(.string)), 4: ("args", .list(.string)),
        5: ("workingDir", .string), 6: ("ports", .list(.message(containerPort))), 19: ("envFrom", .list(.message(envFromSource))),
        7: ("env", .list(.message(envVar))), 8: ("resources", .message(resourceRequirements)),
        24: ("restartPolicy", .keepZero(.string)), 9: ("volumeMounts", .list(.message(volumeMount))),
        13: ("terminationMessagePath", .string), 20: ("terminationMessagePolicy", .string), 14: ("imagePullPolicy", .string),
        16: ("stdin", .bool), 17: ("stdinOnce", .bool), 18: ("tty", .bool),
    ]

    /// `core/v1 ContainerPort`.
    static let containerPort: Layout = [
        1: ("name", .string), 2: ("hostPort", .int32), 3: ("containerPort", .keepZero(.int32)), 4: ("protocol", .string),
        5: ("hostIP", .string),
    ]

    /// `core/v1 ResourceRequirements`: quantities by resource name.
    static let resourceRequirements: Layout = [1: ("limits", .map(.quantity)), 2: ("requests", .map(.quantity))]

    /// `core/v1 EnvVar`.
    static let envVar: Layout = [
        1: ("name", .keepZero(.string)), 2: ("value", .string),
        3: (
            "valueFrom",
            .message([
                1: ("fieldRef", .message([1: ("apiVersion", .string), 2: ("fieldPath", .keepZero(.string))])),
                2: (
                    "resourceFieldRef",
                    .message([1: ("containerName", .string), 2: ("resource", .keepZero(.string)), 3: ("divisor", .quantity)])
                ),
                3: ("configMapKeyRef", .message(keySelector)), 4: ("secretKeyRef", .message(keySelector)),
            ])
        ),
    ]

    /// `core/v1 ConfigMapKeySelector` and `SecretKeySelector` (same layout).
    static let keySelector: Layout = [
        1: ("", .inline(localObjectReference)), 2: ("key", .keepZero(.string)), 3: ("optional", .keepZero(.bool)),
    ]

    /// `core/v1 EnvFromSource`.
    static let envFromSource: Layout = [
        1: ("prefix", .string),
        2: ("configMapRef", .message([1: ("", .inline(localObjectReference)), 2: ("optional", .keepZero(.bool))])),
        3: ("secretRef", .message([1: ("", .inline(localObjectReference)), 2: ("optional", .keepZero(.bool))])),
    ]

    /// `core/v1 VolumeMount`.
    static let volumeMount: Layout = [
        1: ("name", .keepZero(.string)), 2: ("readOnly", .bool), 7: ("recursiveReadOnly", .keepZero(.string)),
        3: ("mountPath", .keepZero(.string)), 4: ("subPath", .string), 5: ("mountPropagation", .keepZero(.string)),
        6: ("subPathExpr", .string),
    ]

    /// `core/v1 Volume` with its common sources (its `VolumeSource` is inlined).
    static let volume: Layout = [
        1: ("name", .keepZero(.string)),
        2: (
            "",
            .inline([
                1: ("hostPath", .message([1: ("path", .keepZero(.string)), 2: ("type", .keepZero(.string))])),
                2: ("emptyDir", .message([1: ("medium", .string), 2: ("sizeLimit", .quantity)])),
                6: (
                    "secret",
                    .message([
                        1: ("secretName", .string), 2: ("items", .list(.message(keyToPath))), 3: ("defaultMode", .keepZero(.int32)),
                        4: ("optional", .keepZero(.bool)),
                    ])
                ),
                10: ("persistentVolumeClaim", .message([1: ("claimName", .keepZero(.string)), 2: ("readOnly", .bool)])),
                19: (
                    "configMap",
                    .message([
                        1: ("", .inline(localObjectReference)), 2: ("items", .list(.message(keyToPath))),
                        3: ("defaultMode", .keepZero(.int32)), 4: ("optional", .keepZero(.bool)),
                    ])
                ),
            ])
        ),
    ]

    /// `core/v1 KeyToPath`.
    static let keyToPath: Layout = [1: ("key", .keepZero(.string)), 2: ("path", .keepZero(.string)), 3: ("mode", .keepZero(.int32))]

    /// `core/v1 Toleration`.
    static let toleration: Layout = [
        1: ("key", .string), 2: ("operator", .string), 3: ("value", .string), 4: ("effect", .string),
        5: ("tolerationSeconds", .keepZero(.int64)),
    ]
}
