import KeelsonFoundation

extension Metric {
    /// The metric with its templates filled from `context` and the headers of its Secret.
    ///
    /// - Parameters:
    ///   - context: the names and arguments of the run.
    ///   - secretData: the decoded `data` of the Secret `source.secretRef` names; ignored when
    ///     the metric names none.
    /// - Throws: an argument the templates use has no value, or the Secret is unusable.
    public func resolve(_ context: AnalysisContext, secretData: [String: String] = [:]) throws(AnalysisSpecError) -> ResolvedMetric {
        let values = context.values(for: self)
        let vocabulary = AnalysisVocabulary.vocabulary(arguments: nil)
        let credentials =
            source.secretRef == nil ? Credentials.none : try Credentials(secretData: secretData, path: "\(name).provider.\(source.kind).secretRef")
        switch source {
        case .prometheus(let prometheus):
            let query = try fill(prometheus.query, values, field: "query")
            return ResolvedMetric(
                metric: self, request: .prometheus(address: prometheus.address, query: query, timeout: prometheus.timeout, credentials: credentials))
        case .web(let web):
            // Values go into the URL percent-encoded, so an argument cannot add a parameter or a path.
            let url = try fill(web.url, values, field: "url", escape: AnalysisText.urlEncoded)
            let body = try web.body.map { template throws(AnalysisSpecError) in try fill(template, values, field: "body") }
            return ResolvedMetric(
                metric: self,
                request: .web(url: url, method: web.method, body: body, jsonPath: web.jsonPath, timeout: web.timeout, credentials: credentials))
        case .job(let job):
            let missing = JobSource.tags(in: .object(job.template)).first { $0.hasPrefix("args.") && values[$0] == nil }
            if let missing { throw missingArgument(missing, field: "job.template") }
            return ResolvedMetric(metric: self, request: .job(template: job.rendered(values, vocabulary: vocabulary)))
        }
    }

    /// `template` rendered, refusing an `{{args.X}}` without a value.
    private func fill(
        _ template: AnalysisText, _ values: [String: String], field: String, escape: (String) -> String = { $0 }
    ) throws(AnalysisSpecError) -> String {
        if let missing = template.tags.first(where: { $0.hasPrefix("args.") && values[$0] == nil }) {
            throw missingArgument(missing, field: field)
        }
        return template.render(values, escape: escape)
    }

    private func missingArgument(_ tag: String, field: String) -> AnalysisSpecError {
        AnalysisSpecError(
            .missingArgument, path: "\(name).provider.\(source.kind).\(field)",
            "{{\(tag)}} has no value; declare it in the template's args or give it in the Rollout's analysis args")
    }
}
