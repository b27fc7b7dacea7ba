package l4smp.tlc;

/** The end of a distributed run: TLC's result, or why there is none. Exactly one is set. */
public record ServeResult(CheckResult result, ClusterFailure failure) {
    public static ServeResult of(CheckResult result) {
        return new ServeResult(result, null);
    }

    public static ServeResult failed(ClusterFailure.Kind kind, String message) {
        return new ServeResult(null, new ClusterFailure(kind, message));
    }
}
