package l4smp.tlc.engine;

import l4smp.tlc.Outcome;
import tlc2.output.EC;

/** Which of TLC's message codes mean what for l4smp (codes from {@link EC}). */
final class ErrorCodes {
    private ErrorCodes() {
    }

    /** Codes that report a violation with a counterexample. */
    static final int[] VIOLATIONS = {
            EC.TLC_INVARIANT_VIOLATED_INITIAL, EC.TLC_INVARIANT_VIOLATED_BEHAVIOR,
            EC.TLC_PROPERTY_VIOLATED_INITIAL, EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR,
            EC.TLC_TEMPORAL_PROPERTY_VIOLATED, EC.TLC_DEADLOCK_REACHED,
    };

    private static final int[] ASSUMPTION = {EC.TLC_ASSUMPTION_FALSE};

    private static final int[] CONFIG = {
            EC.CFG_ERROR_READING_FILE, EC.CFG_GENERAL, EC.CFG_MISSING_ID, EC.CFG_TWICE_KEYWORD, EC.CFG_EXPECT_ID,
            EC.CFG_EXPECTED_SYMBOL,
            EC.TLC_CONFIG_VALUE_NOT_ASSIGNED_TO_CONSTANT_PARAM, EC.TLC_CONFIG_RHS_ID_APPEARED_AFTER_LHS_ID,
            EC.TLC_CONFIG_WRONG_SUBSTITUTION, EC.TLC_CONFIG_WRONG_SUBSTITUTION_NUMBER_OF_ARGS,
            EC.TLC_CONFIG_UNDEFINED_OR_NO_OPERATOR, EC.TLC_CONFIG_SUBSTITUTION_NON_CONSTANT,
            EC.TLC_CONFIG_ID_DOES_NOT_APPEAR_IN_SPEC, EC.TLC_CONFIG_NOT_BOTH_SPEC_AND_INIT,
            EC.TLC_CONFIG_ID_REQUIRES_NO_ARG, EC.TLC_CONFIG_SPECIFIED_NOT_DEFINED, EC.TLC_CONFIG_ID_HAS_VALUE,
            EC.TLC_CONFIG_MISSING_INIT, EC.TLC_CONFIG_MISSING_NEXT, EC.TLC_CONFIG_ID_MUST_NOT_BE_CONSTANT,
            EC.TLC_CONFIG_OP_NO_ARGS, EC.TLC_CONFIG_OP_NOT_IN_SPEC, EC.TLC_CONFIG_OP_IS_EQUAL,
            EC.TLC_CONFIG_SPEC_IS_TRIVIAL, EC.TLC_CONFIG_PROPERTY_NOT_CORRECTLY_DEFINED,
            EC.TLC_CONFIG_OP_ARITY_INCONSISTENT, EC.TLC_CONFIG_NO_STATE_TYPE, EC.TLC_CANT_HANDLE_SUBSCRIPT,
            EC.TLC_CANT_HANDLE_CONJUNCT, EC.TLC_CANT_HANDLE_TOO_MANY_NEXT_STATE_RELS, EC.TLC_SYMMETRY_SET_TOO_SMALL,
            EC.TLC_NO_MODULES,
    };

    private static final int[] INTERNAL = {
            EC.SYSTEM_OUT_OF_MEMORY, EC.SYSTEM_OUT_OF_MEMORY_TOO_MANY_INIT, EC.SYSTEM_OUT_OF_MEMORY_LIVENESS,
            EC.TLC_BUG, EC.SYSTEM_METADIR_EXISTS, EC.SYSTEM_METADIR_CREATION_ERROR,
            EC.TLC_METADIR_EXISTS, EC.TLC_METADIR_CAN_NOT_BE_CREATED, EC.SYSTEM_DISK_IO_ERROR_FOR_FILE,
            EC.SYSTEM_ERROR_READING_POOL, EC.SYSTEM_ERROR_WRITING_POOL, EC.TLC_REPORTER_DIED,
    };

    /** The outcome of a run that ended with {@code code}; anything not listed is an evaluation error. */
    static Outcome outcomeOf(int code) {
        if (contains(ASSUMPTION, code)) return Outcome.ASSUMPTION_FAILED;
        if (contains(CONFIG, code)) return Outcome.CONFIG_ERROR;
        if (contains(INTERNAL, code)) return Outcome.INTERNAL_ERROR;
        if (code == EC.TLC_PARSING_FAILED || code == EC.TLC_PARSING_FAILED2) return Outcome.PARSE_ERROR;
        return Outcome.EVALUATION_ERROR;
    }

    private static boolean contains(int[] codes, int code) {
        for (int c : codes) {
            if (c == code) return true;
        }
        return false;
    }
}
