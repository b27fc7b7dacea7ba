package l4smp.pbt;

import java.util.Arrays;
import java.util.List;

/**
 * The harness's own properties, registered so that {@code l4smp pbt} checks the machinery every
 * other property relies on: integers are encoded as choices and decoded back exactly, a recorded
 * choice sequence regenerates its value, shrinking returns a smaller input that still fails, and
 * it reaches the known minimum of a property whose minimum is known.
 */
public final class HarnessProperties implements PropertyProvider {

    /** A tree, to give the generators below a recursive shape. */
    record Tree(int value, List<Tree> children) {
    }

    @Override
    public void registerProperties(PropertyRegistry registry) {
        registry.register("pbt.integers.choices-round-trip",
                "an integer in any range decodes from the choices it encodes to, and draws stay in range",
                HarnessProperties::integerChoicesRoundTrip);
        registry.register("pbt.replay.recorded-choices-regenerate",
                "the choices a rich generator records, drawing fresh or replaying any sequence, regenerate its value",
                HarnessProperties::recordedChoicesRegenerate);
        registry.register("pbt.shrink.sound",
                "a shrunk counterexample still fails, replays from its choices, and is no larger than the original",
                HarnessProperties::shrinkIsSound);
        registry.register("pbt.shrink.sum-reaches-minimum",
                "\"every list of naturals sums below k\" shrinks to the one-element list [k], for any k and seed",
                HarnessProperties::sumShrinksToMinimum);
    }

    /** Ranges and a value in each: the value's choices replay to it, and the seeds print and parse back. */
    static Property<long[]> integerChoicesRoundTrip() {
        // Small ranges near 0 hold the special cases (no positive side, a single value); wide ones the large magnitudes.
        Gen<Long> bounds = Gens.oneOf(Gens.longs(-5, 5), Gens.longs(-(1L << 61), 1L << 61));
        Gen<Long> widths = Gens.oneOf(Gens.longs(0, 5), Gens.longs(0, 1L << 61));
        Gen<long[]> rangeAndValue = Gens.zip(bounds, widths, (lo, width) -> new long[] {lo, lo + width})
                .flatMap(r -> Gens.longs(r[0], r[1]).map(v -> new long[] {r[0], r[1], v}));
        return Property.forAll("pbt.integers.choices-round-trip", rangeAndValue, (input, trial) -> {
            long lo = input[0];
            long hi = input[1];
            long v = input[2];
            IntegerEncoding encoding = new IntegerEncoding(lo, hi);
            trial.classify(lo < 0 && hi > 0, "range straddles 0");
            trial.classify(v == lo || v == hi, "value at a bound");
            trial.classify(v == 0, "value 0");
            long[] choices = encoding.choicesFor(v);
            Source replay = Source.replay(choices);
            long decoded = Gens.longs(lo, hi).generate(replay);
            long drawn = Gens.longs(lo, hi).example(v ^ lo);
            return decoded == v && Arrays.equals(replay.choices(), choices) && drawn >= lo && drawn <= hi
                    && Seeds.parse(Seeds.format(v)) == v;
        }).withPrinter(input -> "value " + input[2] + " in [" + input[0] + ", " + input[1] + "]");
    }

    /** A generator using every combinator, recursion included. */
    static Gen<Object> richGenerator() {
        Gen<Tree> trees = Gens.recursive(Gens.integers(0, 9).map(v -> new Tree(v, List.of())),
                sub -> Gens.zip(Gens.integers(-3, 3), Gens.lists(sub, 1, 3), Tree::new), 4);
        return Gens.frequency(
                Gens.weighted(1, Gens.constant("constant")),
                Gens.weighted(2, Gens.lists(Gens.oneOf(Gens.booleans(), Gens.elements("a", "b", "c")), 0, 6)),
                Gens.weighted(2, Gens.integers(1, 6).flatMap(n -> Gens.lists(Gens.integers(0, n), n, n))),
                Gens.weighted(2, Gens.integers(-50, 50).filter(x -> x % 3 == 0)),
                Gens.weighted(1, Gens.zip(Gens.integers(-5, 0), Gens.integers(-9, -2), List::of)),
                Gens.weighted(3, trees));
    }

    /**
     * The shrinker's footing: whatever sequence a generator replays, and whatever it draws fresh,
     * the choices it records regenerate the same value and record themselves again.
     */
    static Property<long[]> recordedChoicesRegenerate() {
        Gen<Object> rich = richGenerator();
        Gen<long[]> sequences = Gens.lists(Gens.longs(0, 20), 0, 60)
                .map(list -> list.stream().mapToLong(Long::longValue).toArray());
        return Property.forAll("pbt.replay.recorded-choices-regenerate", sequences, (choices, trial) -> {
            Source replayed = Source.replay(choices);
            Source fresh = Source.random(Arrays.hashCode(choices));
            Object fromReplay = rich.generate(replayed);
            Object fromFresh = rich.generate(fresh);
            trial.collect(fromFresh.getClass().getSimpleName());
            return regenerates(rich, replayed, fromReplay) && regenerates(rich, fresh, fromFresh);
        }).withPrinter(Arrays::toString);
    }

    private static boolean regenerates(Gen<Object> gen, Source recorded, Object value) {
        Source again = Source.replay(recorded.choices());
        return value.equals(gen.generate(again)) && Arrays.equals(recorded.choices(), again.choices());
    }

    /**
     * The claim "no element at index {@code index} or later is {@code bound} or more", to be
     * checked with the run seed {@code seed}.
     */
    record Threshold(int bound, int index, int seed) {
        boolean holds(List<Integer> xs) {
            for (int i = index; i < xs.size(); i++) {
                if (xs.get(i) >= bound) {
                    return false;
                }
            }
            return true;
        }
    }

    static Property<Threshold> shrinkIsSound() {
        Gen<List<Integer>> lists = Gens.lists(Gens.integers(-100, 100), 0, 15);
        Gen<Threshold> thresholds = Gens.zip(Gens.integers(-100, 100), Gens.integers(0, 5),
                Gens.integers(0, Integer.MAX_VALUE), Threshold::new);
        return Property.forAll("pbt.shrink.sound", thresholds, (t, trial) -> {
            Property<List<Integer>> inner = Property.forAll("threshold", lists, t::holds);
            PropertyResult result = new PropertyRunner().run(inner, RunConfig.defaults().withSeed(t.seed()).withTries(200));
            trial.assume(result.counterexample().isPresent(), "no counterexample to shrink");
            Counterexample c = result.counterexample().get();
            trial.classify(c.shrinkSteps() == 0, "original already minimal");
            List<Integer> replayed = lists.generate(Source.replay(c.choices()));
            Source originalSource = Source.random(c.seed());
            List<Integer> original = lists.generate(originalSource);
            return !t.holds(replayed) && replayed.equals(c.shrunkValue()) && original.toString().equals(c.original())
                    && !Shrinker.shortlexLess(originalSource.choices(), c.choices());
        });
    }

    static Property<int[]> sumShrinksToMinimum() {
        Gen<List<Integer>> lists = Gens.lists(Gens.integers(0, 1000), 0, 20);
        Gen<int[]> kAndSeed = Gens.zip(Gens.integers(1, 500), Gens.integers(0, Integer.MAX_VALUE), (k, s) -> new int[] {k, s});
        return Property.forAll("pbt.shrink.sum-reaches-minimum", kAndSeed, (ks, trial) -> {
            int k = ks[0];
            Property<List<Integer>> inner = Property.forAll("sum below k", lists,
                    xs -> xs.stream().mapToInt(Integer::intValue).sum() < k);
            PropertyResult result = new PropertyRunner().run(inner, RunConfig.defaults().withSeed(ks[1]).withTries(200));
            trial.assume(result.counterexample().isPresent(), "no list summing to k or more was generated");
            trial.note("shrunk to " + result.counterexample().get().shrunk());
            return List.of(k).equals(result.counterexample().get().shrunkValue());
        }).withPrinter(ks -> "k = " + ks[0] + ", inner seed " + ks[1]);
    }
}
