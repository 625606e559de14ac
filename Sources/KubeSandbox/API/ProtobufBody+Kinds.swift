/// The message layouts by `apiVersion/kind`; policy is data.
///
/// Field numbers are those of each group's `generated.proto` (k8s.io/api apps/v1, batch/v1,
/// core/v1, rbac/v1, networking/v1, policy/v1, scheduling/v1, autoscaling/v1, authentication/v1,
/// authorization/v1). Status messages are not read: the server owns them.
extension ProtobufBody {
    static let kinds: [String: Layout] = [
        // core/v1: `kubectl create configmap|secret|namespace|serviceaccount|service|quota`.
        "v1/ConfigMap": [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(.string)), 3: ("binaryData", .map(.bytes)),
            4: ("immutable", .keepZero(.bool)),
        ],
        "v1/Secret": [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(.bytes)), 3: ("type", .string), 4: ("stringData", .map(.string)),
            5: ("immutable", .keepZero(.bool)),
        ],
        "v1/Namespace": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("finalizers", .list(.string))]))],
        "v1/ServiceAccount": [
            1: ("metadata", .message(objectMeta)), 2: ("secrets", .list(.message(objectReference))),
            3: ("imagePullSecrets", .list(.message(localObjectReference))), 4: ("automountServiceAccountToken", .keepZero(.bool)),
        ],
        "v1/Service": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(serviceSpec))],
        "v1/ResourceQuota": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(resourceQuotaSpec))],
        // apps/v1 and batch/v1: `kubectl create deployment|job|cronjob`.
        "apps/v1/Deployment": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(deploymentSpec))],
        "batch/v1/Job": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(jobSpec))],
        "batch/v1/CronJob": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(cronJobSpec))],
        // rbac.authorization.k8s.io/v1: `kubectl create role|rolebinding|clusterrole|clusterrolebinding`.
        "rbac.authorization.k8s.io/v1/Role": [1: ("metadata", .message(objectMeta)), 2: ("rules", .keepZero(.list(.message(policyRule))))],
        "rbac.authorization.k8s.io/v1/ClusterRole": [
            1: ("metadata", .message(objectMeta)), 2: ("rules", .keepZero(.list(.message(policyRule)))),
            3: ("aggregationRule", .message([1: ("clusterRoleSelectors", .list(.message(labelSelector)))])),
        ],
        "rbac.authorization.k8s.io/v1/RoleBinding": roleBinding,
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding": roleBinding,
        // networking.k8s.io/v1, policy/v1, scheduling.k8s.io/v1: `kubectl create ingress|pdb|priorityclass`.
        "networking.k8s.io/v1/Ingress": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(ingressSpec))],
        "policy/v1/PodDisruptionBudget": [
            1: ("metadata", .message(objectMeta)),
            2: (
                "spec",
                .message([
                    1: ("minAvailable", .intOrString), 2: ("selector", .message(labelSelector)), 3: ("maxUnavailable", .intOrString),
                    4: ("unhealthyPodEvictionPolicy", .keepZero(.string)),
                ])
            ),
        ],
        "scheduling.k8s.io/v1/PriorityClass": [
            1: ("metadata", .message(objectMeta)), 2: ("value", .keepZero(.int32)), 3: ("globalDefault", .bool),
            4: ("description", .string), 5: ("preemptionPolicy", .keepZero(.string)),
        ],
        // autoscaling/v1: `kubectl autoscale`.
        "autoscaling/v1/HorizontalPodAutoscaler": [
            1: ("metadata", .message(objectMeta)),
            2: (
                "spec",
                .message([
                    1: (
                        "scaleTargetRef",
                        .message([1: ("kind", .keepZero(.string)), 2: ("name", .keepZero(.string)), 3: ("apiVersion", .string)])
                    ),
                    2: ("minReplicas", .keepZero(.int32)), 3: ("maxReplicas", .keepZero(.int32)),
                    4: ("targetCPUUtilizationPercentage", .keepZero(.int32)),
                ])
            ),
        ],
        // authentication.k8s.io/v1: `kubectl create token` (the serviceaccounts/token subresource).
        "authentication.k8s.io/v1/TokenRequest": [
            1: ("metadata", .message(objectMeta)),
            2: (
                "spec",
                .message([
                    1: ("audiences", .keepZero(.list(.string))), 4: ("expirationSeconds", .keepZero(.int64)),
                    3: (
                        "boundObjectRef",
                        .message([1: ("kind", .string), 2: ("apiVersion", .string), 3: ("name", .string), 4: ("uid", .string)])
                    ),
                ])
            ),
        ],
        // authorization.k8s.io/v1: `kubectl auth can-i` and `kubectl auth can-i --list`.
        "authorization.k8s.io/v1/SelfSubjectAccessReview": [
            1: ("metadata", .message(objectMeta)),
            2: (
                "spec",
                .message([
                    1: (
                        "resourceAttributes",
                        .message([
                            1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string),
                            5: ("resource", .string), 6: ("subresource", .string), 7: ("name", .string),
                        ])
                    ),
                    2: ("nonResourceAttributes", .message([1: ("path", .string), 2: ("verb", .string)])),
                ])
            ),
        ],
        "authorization.k8s.io/v1/SelfSubjectRulesReview": [
            1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("namespace", .string)])),
        ],
    ]

    /// `core/v1 ObjectReference`.
    static let objectReference: Layout = [
        1: ("kind", .string), 2: ("namespace", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
        6: ("resourceVersion", .string), 7: ("fieldPath", .string),
    ]

    /// `core/v1 ServiceSpec`.
    static let serviceSpec: Layout = [
        1: (
            "ports",
            .list(
                .message([
                    1: ("name", .string), 2: ("protocol", .string), 6: ("appProtocol", .keepZero(.string)), 3: ("port", .keepZero(.int32)),
                    4: ("targetPort", .intOrString), 5: ("nodePort", .int32),
                ]))
        ),
        2: ("selector", .map(.string)), 3: ("clusterIP", .string), 18: ("clusterIPs", .list(.string)), 4: ("type", .string),
        5: ("externalIPs", .list(.string)), 7: ("sessionAffinity", .string), 8: ("loadBalancerIP", .string),
        9: ("loadBalancerSourceRanges", .list(.string)), 10: ("externalName", .string), 11: ("externalTrafficPolicy", .string),
        12: ("healthCheckNodePort", .int32), 13: ("publishNotReadyAddresses", .bool), 19: ("ipFamilies", .list(.string)),
        17: ("ipFamilyPolicy", .keepZero(.string)), 20: ("allocateLoadBalancerNodePorts", .keepZero(.bool)),
        21: ("loadBalancerClass", .keepZero(.string)), 22: ("internalTrafficPolicy", .keepZero(.string)),
        23: ("trafficDistribution", .keepZero(.string)),
    ]

    /// `core/v1 ResourceQuotaSpec`: hard limits are quantities.
    static let resourceQuotaSpec: Layout = [
        1: ("hard", .map(.quantity)), 2: ("scopes", .list(.string)),
        3: (
            "scopeSelector",
            .message([
                1: (
                    "matchExpressions",
                    .list(.message([1: ("scopeName", .keepZero(.string)), 2: ("operator", .keepZero(.string)), 3: ("values", .list(.string))]))
                )
            ])
        ),
    ]

    /// `apps/v1 DeploymentSpec`.
    static let deploymentSpec: Layout = [
        1: ("replicas", .keepZero(.int32)), 2: ("selector", .message(labelSelector)), 3: ("template", .message(podTemplateSpec)),
        4: (
            "strategy",
            .message([
                1: ("type", .string), 2: ("rollingUpdate", .message([1: ("maxUnavailable", .intOrString), 2: ("maxSurge", .intOrString)])),
            ])
        ),
        5: ("minReadySeconds", .int32), 6: ("revisionHistoryLimit", .keepZero(.int32)), 7: ("paused", .bool),
        9: ("progressDeadlineSeconds", .keepZero(.int32)),
    ]

    /// `batch/v1 JobSpec`.
    static let jobSpec: Layout = [
        1: ("parallelism", .keepZero(.int32)), 2: ("completions", .keepZero(.int32)), 3: ("activeDeadlineSeconds", .keepZero(.int64)),
        7: ("backoffLimit", .keepZero(.int32)), 12: ("backoffLimitPerIndex", .keepZero(.int32)),
        13: ("maxFailedIndexes", .keepZero(.int32)), 4: ("selector", .message(labelSelector)), 5: ("manualSelector", .keepZero(.bool)),
        6: ("template", .message(podTemplateSpec)), 8: ("ttlSecondsAfterFinished", .keepZero(.int32)),
        9: ("completionMode", .keepZero(.string)), 10: ("suspend", .keepZero(.bool)), 14: ("podReplacementPolicy", .keepZero(.string)),
        15: ("managedBy", .keepZero(.string)),
    ]

    /// `batch/v1 CronJobSpec`.
    static let cronJobSpec: Layout = [
        1: ("schedule", .keepZero(.string)), 8: ("timeZone", .keepZero(.string)), 2: ("startingDeadlineSeconds", .keepZero(.int64)),
        3: ("concurrencyPolicy", .string), 4: ("suspend", .keepZero(.bool)),
        5: ("jobTemplate", .message([1: ("metadata", .message(objectMeta)), 2: ("spec", .message(jobSpec))])),
        6: ("successfulJobsHistoryLimit", .keepZero(.int32)), 7: ("failedJobsHistoryLimit", .keepZero(.int32)),
    ]

    /// `rbac/v1 PolicyRule`.
    static let policyRule: Layout = [
        1: ("verbs", .keepZero(.list(.string))), 2: ("apiGroups", .list(.string)), 3: ("resources", .list(.string)),
        4: ("resourceNames", .list(.string)), 5: ("nonResourceURLs", .list(.string)),
    ]

    /// `rbac/v1 RoleBinding` and `ClusterRoleBinding` (same layout).
    static let roleBinding: Layout = [
        1: ("metadata", .message(objectMeta)),
        2: (
            "subjects",
            .list(.message([1: ("kind", .keepZero(.string)), 2: ("apiGroup", .string), 3: ("name", .keepZero(.string)), 4: ("namespace", .string)]))
        ),
        3: ("roleRef", .message([1: ("apiGroup", .keepZero(.string)), 2: ("kind", .keepZero(.string)), 3: ("name", .keepZero(.string))])),
    ]

    /// `networking/v1 IngressSpec`; a rule's `IngressRuleValue` is inlined.
    static let ingressSpec: Layout = [
        4: ("ingressClassName", .keepZero(.string)), 1: ("defaultBackend", .message(ingressBackend)),
        2: ("tls", .list(.message([1: ("hosts", .list(.string)), 2: ("secretName", .string)]))),
        3: (
            "rules",
            .list(
                .message([
                    1: ("host", .string),
                    2: (
                        "",
                        .inline([
                            1: (
                                "http",
                                .message([
                                    1: (
                                        "paths",
                                        .keepZero(
                                            .list(
                                                .message([
                                                    1: ("path", .string), 3: ("pathType", .keepZero(.string)),
                                                    2: ("backend", .message(ingressBackend)),
                                                ])))
                                    )
                                ])
                            )
                        ])
                    ),
                ]))
        ),
    ]

    /// `networking/v1 IngressBackend`: a service port or a typed object reference.
    static let ingressBackend: Layout = [
        4: ("service", .message([1: ("name", .keepZero(.string)), 2: ("port", .message([1: ("name", .string), 2: ("number", .int32)]))])),
        3: ("resource", .message([1: ("apiGroup", .keepZero(.string)), 2: ("kind", .keepZero(.string)), 3: ("name", .keepZero(.string))])),
    ]
}
