package l4smp.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converters for option values that are not plain numbers. */
final class Converters {
    private Converters() {
    }

    /** {@code auto} (0: one worker per core) or a positive number. */
    static final class Workers implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equalsIgnoreCase("auto")) return 0;
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number of workers: use auto or 1, 2, ...");
        }
    }

    /** {@code 90}, {@code 90s}, {@code 5m}, {@code 2h}: a duration, seconds by default. */
    static final class Time implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. 90, 90s, 5m or 2h");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.isZero()) throw new CommandLine.TypeConversionException("a duration must be positive");
            return d;
        }
    }
}
