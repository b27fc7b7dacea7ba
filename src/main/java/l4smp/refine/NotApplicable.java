package l4smp.refine;

/**
 * A kernel run that is not one of a spec's behaviours at all, nor a wrong one: it uses a mechanism
 * the spec leaves out (see {@link SpecScope}), so it cannot be checked against it as a whole.
 */
public class NotApplicable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotApplicable(String why) {
        super(why);
    }

    /** Throws if {@code survey} found a step {@code spec} does not describe. */
    static void check(String spec, RunSurvey survey) {
        RunSurvey.Cut cut = survey.cut(spec);
        if (cut != null) {
            throw new NotApplicable("from kernel step " + cut.step() + " on: " + cut.why());
        }
    }
}
