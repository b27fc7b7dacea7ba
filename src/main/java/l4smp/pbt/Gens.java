package l4smp.pbt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The basic generators and the combinators that build the rest. Every generator here draws choice
 * 0 for its simplest value (see {@link Source}), so alternatives should be listed simplest first:
 * {@code oneOf(leaf, node)} shrinks towards {@code leaf}.
 */
public final class Gens {
    /** Probability that a fresh list takes exactly its minimum or maximum length. */
    static final double LENGTH_EDGE_BIAS = 0.1;
    /** The mean number of optional list elements when the maximum allows that many. */
    static final double MEAN_OPTIONAL_ELEMENTS = 8;

    private Gens() {
    }

    /** Always {@code value}; draws no choice. */
    public static <T> Gen<T> constant(T value) {
        return source -> value;
    }

    /** Integers in {@code [lo, hi]}, favouring the bounds, 0 and their neighbours; shrink towards 0. */
    public static Gen<Integer> integers(int lo, int hi) {
        IntegerEncoding encoding = new IntegerEncoding(lo, hi);
        return source -> (int) encoding.draw(source);
    }

    /** Longs in {@code [lo, hi]} (a range no wider than {@code Long.MAX_VALUE}); as {@link #integers}. */
    public static Gen<Long> longs(long lo, long hi) {
        IntegerEncoding encoding = new IntegerEncoding(lo, hi);
        return encoding::draw;
    }

    /** Fair booleans; false is the simpler. */
    public static Gen<Boolean> booleans() {
        return source -> source.drawBoolean(0.5);
    }

    /** One of {@code values}, uniformly; shrinks towards the first. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> Gen<T> elements(T... values) {
        return elements(Arrays.asList(values));
    }

    /** One of {@code values}, uniformly; shrinks towards the first. */
    public static <T> Gen<T> elements(List<? extends T> values) {
        List<? extends T> copy = List.copyOf(requireNonEmpty(values, "elements"));
        return source -> copy.get((int) source.draw(copy.size() - 1));
    }

    /** A value of one of {@code gens}, each chosen equally often; shrinks towards the first. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> copy = List.copyOf(requireNonEmpty(Arrays.asList(gens), "oneOf"));
        return new Gen<>() {
            @Override
            public T generate(Source source) {
                int span = source.beginSpan(Span.Kind.DRAW, this);
                T value = copy.get((int) source.draw(copy.size() - 1)).generate(source);
                source.endSpan(span);
                return value;
            }
        };
    }

    /** A generator with a relative weight, for {@link #frequency}. */
    public record Weighted<T>(int weight, Gen<? extends T> gen) {
        public Weighted {
            if (weight < 1) {
                throw new IllegalArgumentException("weights must be >= 1, got " + weight);
            }
            Objects.requireNonNull(gen, "gen");
        }
    }

    /** {@code gen} with weight {@code weight}, for {@link #frequency}. */
    public static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** A value of one of the weighted generators, chosen in proportion to the weights; shrinks towards the first. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> copy = List.copyOf(requireNonEmpty(Arrays.asList(choices), "frequency"));
        long total = copy.stream().mapToLong(Weighted::weight).sum();
        return new Gen<>() {
            @Override
            public T generate(Source source) {
                int span = source.beginSpan(Span.Kind.DRAW, this);
                long ticket = source.unrecorded(total - 1);
                int index = ticket < 0 ? (int) source.draw(copy.size() - 1)
                        : (int) source.drawForced(copy.size() - 1, indexOf(ticket));
                T value = copy.get(index).gen().generate(source);
                source.endSpan(span);
                return value;
            }

            private int indexOf(long ticket) {
                long below = 0;
                for (int i = 0; i < copy.size(); i++) {
                    below += copy.get(i).weight();
                    if (ticket < below) {
                        return i;
                    }
                }
                throw new AssertionError("ticket " + ticket + " beyond total weight " + total);
            }
        };
    }

    /**
     * Lists of {@code min..max} elements. Each element is preceded by a "one more?" choice and sits
     * with it in one {@link Span.Kind#LIST_ELEMENT} span, so deleting the span deletes exactly that
     * element. Fresh lists are sometimes exactly {@code min} or {@code max} long.
     */
    public static <T> Gen<List<T>> lists(Gen<? extends T> element, int min, int max) {
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("list length bounds must satisfy 0 <= min <= max, got [" + min + ", " + max + "]");
        }
        double mean = Math.min(MEAN_OPTIONAL_ELEMENTS, (max - min) / 2.0);
        double pMore = mean / (mean + 1);
        return new Gen<>() {
            @Override
            public List<T> generate(Source source) {
                int listSpan = source.beginSpan(Span.Kind.LIST, this);
                int lengthHint = source.hint(LENGTH_EDGE_BIAS, 2);
                List<T> list = new ArrayList<>();
                while (list.size() < max) {
                    int span = source.beginSpan(Span.Kind.LIST_ELEMENT, this);
                    // The first min elements have their "one more?" choice too, ignored: so every
                    // element span is [choice, element] and deleting any one keeps the rest aligned.
                    boolean more = list.size() < min ? mandatory(source) : more(source, lengthHint);
                    if (!more) {
                        source.dropSpan(span);
                        break;
                    }
                    list.add(element.generate(source));
                    source.endSpan(span);
                }
                source.endSpan(listSpan);
                return list;
            }

            private boolean mandatory(Source source) {
                source.drawForced(1, 1);
                return true;
            }

            private boolean more(Source source, int lengthHint) {
                return switch (lengthHint) {
                    case 0 -> source.drawForced(1, 0) == 1;
                    case 1 -> source.drawForced(1, 1) == 1;
                    default -> source.drawBoolean(pMore);
                };
            }
        };
    }

    /** Pairs, records or any value built from two generated parts. */
    public static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> combine) {
        return source -> combine.apply(a.generate(source), b.generate(source));
    }

    /** A function of three arguments, for {@link #zip(Gen, Gen, Gen, Fn3)}. */
    @FunctionalInterface
    public interface Fn3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    /** Triples, records or any value built from three generated parts. */
    public static <A, B, C, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Fn3<? super A, ? super B, ? super C, ? extends R> combine) {
        return source -> combine.apply(a.generate(source), b.generate(source), c.generate(source));
    }

    /** A function of four arguments, for {@link #zip(Gen, Gen, Gen, Gen, Fn4)}. */
    @FunctionalInterface
    public interface Fn4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    /** Values built from four generated parts. */
    public static <A, B, C, D, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d,
            Fn4<? super A, ? super B, ? super C, ? super D, ? extends R> combine) {
        return source -> combine.apply(a.generate(source), b.generate(source), c.generate(source), d.generate(source));
    }

    /** One value of each generator, in order. */
    public static <T> Gen<List<T>> sequence(List<? extends Gen<? extends T>> gens) {
        List<Gen<? extends T>> copy = List.copyOf(gens);
        return source -> {
            List<T> values = new ArrayList<>(copy.size());
            for (Gen<? extends T> gen : copy) {
                values.add(gen.generate(source));
            }
            return values;
        };
    }

    /**
     * The generator {@code supplier} returns, asked for on first use: lets a generator refer to
     * itself or to one defined later. Bound the recursion yourself (or use {@link #recursive}).
     */
    public static <T> Gen<T> lazy(Supplier<? extends Gen<? extends T>> supplier) {
        return new Gen<>() {
            private Gen<? extends T> gen;

            @Override
            public T generate(Source source) {
                if (gen == null) {
                    gen = Objects.requireNonNull(supplier.get(), "lazy generator supplier returned null");
                }
                return gen.generate(source);
            }
        };
    }

    /**
     * Recursive values no more than {@code maxDepth} levels of {@code extend} deep: each level
     * chooses between {@code base} (choice 0) and {@code extend} applied to the next level. Every
     * level is a {@link Span.Kind#RECURSION} span with the same label, so the shrinker can replace a
     * value by one of its parts (a tree by its subtree).
     */
    public static <T> Gen<T> recursive(Gen<? extends T> base, Function<Gen<T>, Gen<? extends T>> extend, int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
        }
        Object family = new Object();
        Gen<T> level = recursionLevel(family, base, null);
        for (int depth = maxDepth - 1; depth >= 0; depth--) {
            level = recursionLevel(family, base, extend.apply(level));
        }
        return level;
    }

    /** One level of {@link #recursive}; {@code deeper} is null at the deepest level. */
    private static <T> Gen<T> recursionLevel(Object family, Gen<? extends T> base, Gen<? extends T> deeper) {
        return source -> {
            int span = source.beginSpan(Span.Kind.RECURSION, family);
            // The deepest level still draws its "go deeper?" choice (always no when fresh), so that
            // every level is [choice, value] and a level moved up by the shrinker stays aligned.
            boolean extend;
            if (deeper == null) {
                source.drawForced(1, 0);
                extend = false;
            } else {
                extend = source.drawBoolean(0.45);
            }
            T value = extend ? deeper.generate(source) : base.generate(source);
            source.endSpan(span);
            return value;
        };
    }

    private static <L extends List<?>> L requireNonEmpty(L values, String what) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one alternative");
        }
        return values;
    }
}
