package l4smp.pbt;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to run a property: the seed (a fresh one unless fixed), how many inputs to check (the
 * property's own default unless fixed), the wall-clock budget for generating and checking, the cap
 * on discarded inputs, and the bounds on shrinking.
 *
 * @param seed           the run seed; empty for a fresh one
 * @param tries          inputs to check; empty for the property's default
 * @param timeBudget     the run stops checking new inputs once this much time has passed
 * @param discardRatio   the run gives up after {@code discardRatio * tries} discarded inputs
 * @param maxShrinkSteps re-runs of the property the shrinker may make
 * @param shrinkBudget   wall-clock time the shrinker may take
 */
public record RunConfig(OptionalLong seed, OptionalInt tries, Duration timeBudget, int discardRatio,
        int maxShrinkSteps, Duration shrinkBudget) {

    /** System property fixing the seed of every run (as printed with a failure). */
    public static final String SEED_PROPERTY = "l4smp.pbt.seed";
    /** System property fixing the number of inputs every run checks. */
    public static final String TRIES_PROPERTY = "l4smp.pbt.tries";
    /** System property setting the time budget of every run ({@code 30s}, {@code 2m}, {@code 500ms}). */
    public static final String TIME_PROPERTY = "l4smp.pbt.time";
    /** System property asking for the statistics of every run to be printed ({@code true}). */
    public static final String STATS_PROPERTY = "l4smp.pbt.stats";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public RunConfig {
        if (tries.isPresent() && tries.getAsInt() < 1) {
            throw new IllegalArgumentException("tries must be >= 1, got " + tries.getAsInt());
        }
        requirePositive(timeBudget, "time budget");
        requirePositive(shrinkBudget, "shrink budget");
        if (discardRatio < 1) {
            throw new IllegalArgumentException("discard ratio must be >= 1, got " + discardRatio);
        }
        if (maxShrinkSteps < 0) {
            throw new IllegalArgumentException("shrink steps must be >= 0, got " + maxShrinkSteps);
        }
    }

    /** A fresh seed, the property's tries, a minute per run, 10 discards per try, 2000 shrink steps in 30 s. */
    public static RunConfig defaults() {
        return new RunConfig(OptionalLong.empty(), OptionalInt.empty(), Duration.ofMinutes(1), 10, 2000,
                Duration.ofSeconds(30));
    }

    /** The defaults with whatever {@code l4smp.pbt.*} system properties are set applied. */
    public static RunConfig fromSystemProperties() {
        return defaults().overriddenBy(System.getProperties());
    }

    /**
     * This configuration with the seed, tries and time budget {@code properties} set applied.
     *
     * @throws IllegalArgumentException naming the property and the accepted form, for a bad value
     */
    public RunConfig overriddenBy(Properties properties) {
        RunConfig config = this;
        String seedText = properties.getProperty(SEED_PROPERTY);
        if (seedText != null && !seedText.isBlank()) {
            config = config.withSeed(parse(SEED_PROPERTY, seedText, Seeds::parse));
        }
        String triesText = properties.getProperty(TRIES_PROPERTY);
        if (triesText != null && !triesText.isBlank()) {
            config = config.withTries(parse(TRIES_PROPERTY, triesText, RunConfig::parseTries));
        }
        String timeText = properties.getProperty(TIME_PROPERTY);
        if (timeText != null && !timeText.isBlank()) {
            config = config.withTimeBudget(parse(TIME_PROPERTY, timeText, RunConfig::parseDuration));
        }
        return config;
    }

    public RunConfig withSeed(long seed) {
        return new RunConfig(OptionalLong.of(seed), tries, timeBudget, discardRatio, maxShrinkSteps, shrinkBudget);
    }

    public RunConfig withTries(int tries) {
        return new RunConfig(seed, OptionalInt.of(tries), timeBudget, discardRatio, maxShrinkSteps, shrinkBudget);
    }

    public RunConfig withTimeBudget(Duration timeBudget) {
        return new RunConfig(seed, tries, timeBudget, discardRatio, maxShrinkSteps, shrinkBudget);
    }

    public RunConfig withDiscardRatio(int discardRatio) {
        return new RunConfig(seed, tries, timeBudget, discardRatio, maxShrinkSteps, shrinkBudget);
    }

    public RunConfig withMaxShrinkSteps(int maxShrinkSteps) {
        return new RunConfig(seed, tries, timeBudget, discardRatio, maxShrinkSteps, shrinkBudget);
    }

    public RunConfig withShrinkBudget(Duration shrinkBudget) {
        return new RunConfig(seed, tries, timeBudget, discardRatio, maxShrinkSteps, shrinkBudget);
    }

    /**
     * Reads a duration: a number with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) or
     * ISO-8601 ({@code PT30S}).
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(text.trim());
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text
                    + "' (expected a number with ms, s, m or h, such as 30s, or ISO-8601 such as PT30S)");
        }
    }

    private static int parseTries(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted form
        }
        throw new IllegalArgumentException("not a number of tries: '" + text + "' (expected a whole number >= 1)");
    }

    private static <V> V parse(String property, String text, java.util.function.Function<String, V> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + property + ": " + e.getMessage(), e);
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
