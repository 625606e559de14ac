import Synchronization

extension HTTPReceiver {
    /// The receiver's memory: requests in order and scripts with how many requests each has answered.
    final class Recorder: Sendable {
        struct State {
            var requests: [Request] = []
            var scripts: [String: (script: Script, answered: Int)] = [:]
        }

        let state = Mutex(State())
        let handler: Handler?

        init(handler: Handler?) { self.handler = handler }

        /// Records `request` and returns the scripted step for it: the script and the status
        /// due, when a script covers its path.
        func record(_ request: Request) -> (script: Script, status: Int)? {
            state.withLock { state in
                state.requests.append(request)
                let path = request.pathWithoutQuery
                guard let prefix = state.scripts.keys.filter({ HTTPReceiver.path(path, isUnder: $0) }).max(by: { $0.count < $1.count }),
                    let (script, answered) = state.scripts[prefix]
                else { return nil }
                state.scripts[prefix] = (script, answered + 1)
                return (script, script.status(forRequest: answered))
            }
        }
    }
}
