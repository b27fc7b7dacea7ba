package l4smp.pbt;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of running one property: how many inputs were checked and discarded, how long it
 * took, why the run stopped, and the counterexample if there is one.
 *
 * @param counterexample present exactly when {@code status} is {@link Status#FAILED}
 */
public record PropertyResult(String name, Status status, Stop stop, int tries, int discards, Duration elapsed,
        long seed, Statistics statistics, Optional<Counterexample> counterexample) {

    /** Whether the property held. */
    public enum Status {
        /** No input falsified it. */
        PASSED,
        /** An input falsified it; see the counterexample. */
        FAILED,
        /** Too many inputs were discarded to check enough of them. */
        GAVE_UP
    }

    /** Why the run stopped checking inputs. */
    public enum Stop {
        TRIES_DONE, TIME_BUDGET, FAILURE, TOO_MANY_DISCARDS
    }

    /** One line: status, name, tries, discards, time. */
    public String summary() {
        String why = switch (stop) {
            case TIME_BUDGET -> "  (stopped by the time budget)";
            case TOO_MANY_DISCARDS -> "  (gave up: too many discarded inputs)";
            default -> "";
        };
        return String.format(Locale.ROOT, "%-7s %s: %d tries, %d discards, %.2f s%s",
                status, name, tries, discards, elapsed.toNanos() / 1e9, why);
    }

    /**
     * The summary and, for a failure, the shrunk input, the failure, the original input and how to
     * reproduce it; {@code reproduceHint} is appended with the seed (e.g. a command line).
     */
    public String report(String reproduceHint) {
        StringBuilder out = new StringBuilder(summary()).append('\n');
        counterexample.ifPresent(c -> {
            out.append("  shrunk input:   ").append(c.shrunk()).append('\n');
            out.append("  failure:        ").append(c.failure().message()).append('\n');
            c.notes().forEach(n -> out.append("  note:           ").append(n).append('\n'));
            out.append("  original input: ").append(c.original()).append('\n');
            out.append("  shrinking:      ").append(c.shrinkSteps()).append(" steps")
                    .append(c.shrinkExhausted() ? ", stopped by its budget (the input may not be minimal)" : ", local minimum")
                    .append('\n');
            out.append("  seed:           ").append(Seeds.format(c.seed()))
                    .append(" (generates the original input first)").append('\n');
            if (reproduceHint != null && !reproduceHint.isEmpty()) {
                out.append("  reproduce:      ").append(reproduceHint.replace("{seed}", Seeds.format(c.seed()))).append('\n');
            }
        });
        if (status == Status.GAVE_UP) {
            out.append("  ").append(discards).append(" inputs were discarded by assumptions or filters for ")
                    .append(tries).append(" checked; generate inputs that satisfy them more often").append('\n');
        }
        return out.toString();
    }
}
