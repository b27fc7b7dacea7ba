package l4smp.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** The generators: ranges respected, edge cases covered, same seed same value. */
class GensTest {
    private static final int SAMPLES = 2000;

    /** The values {@code gen} produces from seeds 0..SAMPLES-1, each once. */
    private static <T> Set<T> sample(Gen<T> gen) {
        return LongStream.range(0, SAMPLES).mapToObj(gen::example).collect(Collectors.toSet());
    }

    private static <T, R> Set<R> sample(Gen<T> gen, Function<T, R> f) {
        return sample(gen).stream().map(f).collect(Collectors.toSet());
    }

    @Test
    void integersStayInRangeAndCoverTheEdgeCases() {
        Set<Integer> values = sample(Gens.integers(-50, 50));
        assertTrue(values.stream().allMatch(v -> v >= -50 && v <= 50), values.toString());
        assertTrue(values.containsAll(List.of(-50, -49, -1, 0, 1, 49, 50)), values.toString());
    }

    @Test
    void integersInARangeWithoutZeroCoverBothBoundsAndTheirNeighbours() {
        Set<Integer> values = sample(Gens.integers(10, 20));
        assertEquals(Set.of(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), values);
        Set<Integer> negative = sample(Gens.integers(-20, -10));
        assertTrue(negative.containsAll(List.of(-20, -19, -11, -10)), negative.toString());
        assertTrue(negative.stream().allMatch(v -> v >= -20 && v <= -10), negative.toString());
    }

    @Test
    void integersInAHugeRangeStillHitTheEdgeCases() {
        Set<Integer> values = sample(Gens.integers(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertTrue(values.containsAll(List.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -1, 0, 1,
                Integer.MAX_VALUE - 1, Integer.MAX_VALUE)), values.toString());
        assertTrue(values.size() > SAMPLES / 2, "mostly distinct values: " + values.size());
    }

    @Test
    void longsCoverTheirBoundsAndRefuseARangeTooWideToEncode() {
        Set<Long> values = sample(Gens.longs(-(1L << 61), 1L << 61));
        assertTrue(values.containsAll(List.of(-(1L << 61), 1L << 61, 0L)), values.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gens.longs(Long.MIN_VALUE, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("wider than Long.MAX_VALUE"), e.getMessage());
    }

    @Test
    void booleansElementsAndOneOfProduceEveryAlternative() {
        assertEquals(Set.of(true, false), sample(Gens.booleans()));
        assertEquals(Set.of("a", "b", "c"), sample(Gens.elements("a", "b", "c")));
        assertEquals(Set.of(-1, 1, 2, 3), sample(Gens.oneOf(Gens.constant(-1), Gens.integers(1, 3))));
    }

    @Test
    void frequencyFollowsTheWeights() {
        Gen<String> gen = Gens.frequency(Gens.weighted(1, Gens.constant("rare")), Gens.weighted(9, Gens.constant("common")));
        long rare = LongStream.range(0, 10_000).mapToObj(gen::example).filter("rare"::equals).count();
        assertTrue(rare > 800 && rare < 1200, "expected about 1000 of 10000, got " + rare);
    }

    @Test
    void listsRespectTheirBoundsAndReachBothOfThem() {
        Set<Integer> lengths = sample(Gens.lists(Gens.integers(0, 3), 2, 7), List::size);
        assertEquals(Set.of(2, 3, 4, 5, 6, 7), lengths);
        Set<Integer> unbounded = sample(Gens.lists(Gens.booleans(), 0, 1000), List::size);
        assertTrue(unbounded.contains(0) && unbounded.contains(1000), unbounded.toString());
        assertEquals(Set.of(0), sample(Gens.lists(Gens.booleans(), 0, 0), List::size));
    }

    @Test
    void theSameSeedGivesTheSameInputAndDifferentSeedsDifferentOnes() {
        Gen<Object> rich = HarnessProperties.richGenerator();
        for (long seed = 0; seed < 200; seed++) {
            assertEquals(rich.example(seed), rich.example(seed), "seed " + seed);
        }
        assertTrue(sample(rich).size() > SAMPLES / 4, "a rich generator gives many distinct values");
        assertNotEquals(Gens.integers(0, 1_000_000).example(1), Gens.integers(0, 1_000_000).example(2));
    }

    @Test
    void zipAndFlatMapCombineParts() {
        Set<List<Integer>> pairs = sample(Gens.zip(Gens.integers(0, 1), Gens.integers(5, 6), List::of));
        assertEquals(Set.of(List.of(0, 5), List.of(0, 6), List.of(1, 5), List.of(1, 6)), pairs);
        Gen<List<Integer>> sized = Gens.integers(0, 4).flatMap(n -> Gens.lists(Gens.constant(n), n, n));
        for (List<Integer> list : sample(sized)) {
            assertTrue(list.stream().allMatch(x -> x == list.size()), list.toString());
        }
    }

    @Test
    void filterKeepsOnlyAcceptedValuesAndDiscardsWhenNothingPasses() {
        assertTrue(sample(Gens.integers(0, 100).filter(x -> x % 2 == 0)).stream().allMatch(x -> x % 2 == 0));
        Gen<Integer> impossible = Gens.integers(0, 100).filter(x -> x > 100);
        Discard d = assertThrows(Discard.class, () -> impossible.example(7));
        assertTrue(d.getMessage().contains("100 values in a row"), d.getMessage());
    }

    record Tree(List<Tree> children) {
        int depth() {
            return 1 + children.stream().mapToInt(Tree::depth).max().orElse(0);
        }
    }

    @Test
    void recursiveValuesStayWithinTheirDepthAndReachIt() {
        Gen<Tree> trees = Gens.recursive(Gens.constant(new Tree(List.of())),
                sub -> Gens.lists(sub, 1, 3).map(Tree::new), 4);
        Set<Integer> depths = sample(trees, Tree::depth);
        assertEquals(Set.of(1, 2, 3, 4, 5), depths);
    }

    @Test
    void lazyLetsAGeneratorReferToItself() {
        final class Self {
            Gen<Tree> gen;
        }
        Self self = new Self();
        self.gen = Gens.frequency(Gens.weighted(3, Gens.constant(new Tree(List.of()))),
                Gens.weighted(1, Gens.lists(Gens.lazy(() -> self.gen), 1, 2).map(Tree::new)));
        Set<Integer> depths = sample(self.gen, Tree::depth);
        assertTrue(depths.contains(1) && depths.contains(3), depths.toString());
    }

    @Test
    void badArgumentsAreRefusedWithAMessage() {
        assertThrows(IllegalArgumentException.class, () -> Gens.integers(5, 1));
        assertThrows(IllegalArgumentException.class, () -> Gens.lists(Gens.booleans(), -1, 3));
        assertThrows(IllegalArgumentException.class, () -> Gens.lists(Gens.booleans(), 4, 3));
        assertThrows(IllegalArgumentException.class, () -> Gens.elements(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Gens.weighted(0, Gens.booleans()));
        assertThrows(IllegalArgumentException.class, () -> Gens.recursive(Gens.booleans(), g -> g, -1));
        assertThrows(IllegalArgumentException.class, () -> Gens.booleans().filter(b -> b, 0));
    }

    @Test
    void aRunawayGeneratorIsDiscardedNotHung() {
        Gen<Integer> forever = source -> {
            while (true) {
                source.draw(1);
            }
        };
        assertThrows(Discard.class, () -> forever.example(3));
    }

    @Test
    void replayingRecordedChoicesRegeneratesTheValue() {
        Gen<Object> rich = HarnessProperties.richGenerator();
        Set<Object> seen = new HashSet<>();
        for (long seed = 0; seed < 300; seed++) {
            Source fresh = Source.random(seed);
            Object value = rich.generate(fresh);
            seen.add(value);
            assertEquals(value, rich.generate(Source.replay(fresh.choices())), "seed " + seed);
        }
        assertTrue(seen.size() > 50);
    }
}
