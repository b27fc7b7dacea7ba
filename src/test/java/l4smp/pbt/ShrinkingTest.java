package l4smp.pbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties that fail on purpose, and the minimal inputs they must shrink to. */
class ShrinkingTest {

    private static Counterexample counterexample(Property<?> property, RunConfig config) {
        PropertyResult result = new PropertyRunner().run(property, config);
        assertEquals(PropertyResult.Status.FAILED, result.status(), () -> result.report(""));
        return result.counterexample().orElseThrow();
    }

    private static Counterexample counterexample(Property<?> property, long seed) {
        return counterexample(property, RunConfig.defaults().withSeed(seed).withTries(1000));
    }

    private static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 0xdeadbeefL})
    void sumBelowHundredShrinksToTheSingleElementListHundred(long seed) {
        Property<List<Integer>> signed = Property.forAll("sum < 100", Gens.lists(Gens.integers(-1000, 1000), 0, 20),
                xs -> sum(xs) < 100);
        Property<List<Integer>> natural = Property.forAll("sum < 100", Gens.lists(Gens.integers(0, 1000), 0, 20),
                xs -> sum(xs) < 100);
        assertEquals(List.of(100), counterexample(signed, seed).shrunkValue());
        assertEquals(List.of(100), counterexample(natural, seed).shrunkValue());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 0xdeadbeefL})
    void noThreeBeforeSevenShrinksToThreeSeven(long seed) {
        Property<List<Integer>> property = Property.forAll("no 3 before a 7", Gens.lists(Gens.integers(0, 9), 0, 30),
                xs -> {
                    int three = xs.indexOf(3);
                    return three < 0 || !xs.subList(three, xs.size()).contains(7);
                });
        Counterexample c = counterexample(property, seed);
        assertEquals(List.of(3, 7), c.shrunkValue());
        assertEquals("[3, 7]", c.shrunk());
        assertFalse(c.shrinkExhausted());
    }

    record Tree(int value, List<Tree> children) {
        int depth() {
            return 1 + children.stream().mapToInt(Tree::depth).max().orElse(0);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void aDeepTreeShrinksToTheShortestChainOfZeros(long seed) {
        Gen<Tree> trees = Gens.recursive(Gens.integers(0, 9).map(v -> new Tree(v, List.of())),
                sub -> Gens.zip(Gens.integers(-3, 3), Gens.lists(sub, 1, 3), Tree::new), 6);
        Property<Tree> property = Property.forAll("depth < 3", trees, t -> t.depth() < 3);
        Tree leaf = new Tree(0, List.of());
        Tree chain = new Tree(0, List.of(new Tree(0, List.of(leaf))));
        assertEquals(chain, counterexample(property, seed).shrunkValue());
    }

    private static boolean hasLeafOfFiveOrMore(Tree t) {
        return t.children().isEmpty() ? t.value() >= 5 : t.children().stream().anyMatch(ShrinkingTest::hasLeafOfFiveOrMore);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 77})
    void aTreeWithABadLeafShrinksToThatLeafAlone(long seed) {
        // Needs the pass that replaces a value by a part of itself: the bad leaf usually sits deep
        // under other nodes, and no deletion of list elements removes the nodes above it.
        Gen<Tree> trees = Gens.recursive(Gens.integers(0, 9).map(v -> new Tree(v, List.of())),
                sub -> Gens.zip(Gens.integers(-3, 3), Gens.lists(sub, 1, 3), Tree::new), 6);
        Property<Tree> property = Property.forAll("no leaf of 5 or more", trees, t -> !hasLeafOfFiveOrMore(t));
        assertEquals(new Tree(5, List.of()), counterexample(property, seed).shrunkValue());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void aFilteredValueShrinksToTheLeastAcceptedFailingValue(long seed) {
        Property<Integer> property = Property.forAll("even values below 300",
                Gens.integers(0, 100_000).filter(x -> x % 2 == 0), x -> x < 300);
        Counterexample c = counterexample(property, seed);
        assertEquals(300, c.shrunkValue());
        assertArrayEquals(new long[] {300}, c.choices(), "the rejected attempts are gone");
    }

    @Test
    void aLongListIsCutDownByChunksWithinTheDefaultBudget() {
        Property<List<Integer>> property = Property.forAll("shorter than 300",
                Gens.lists(Gens.integers(0, 9), 0, 2000), xs -> xs.size() < 300);
        Counterexample c = counterexample(property, RunConfig.defaults().withSeed(3));
        assertEquals(java.util.Collections.nCopies(300, 0), c.shrunkValue());
        assertFalse(c.shrinkExhausted(), "deleting one element at a time would need more than the default "
                + RunConfig.defaults().maxShrinkSteps() + " steps; took " + c.shrinkSteps());
    }

    @Test
    void shrinkingKeepsToTheKindOfFailureItFound() {
        // Negative values below -10 make the property return false; values above 100 make it throw.
        // [0, 101] is shortlex-smaller than [1, 11], so a shrinker that ignored the kind would slip
        // from the falsified -11 to the exception at 101.
        Property<Integer> property = Property.forAll("two bugs", Gens.integers(-1000, 1000), x -> {
            if (x > 100) {
                throw new IllegalStateException("too big: " + x);
            }
            return x >= -10;
        });
        long seed = 0;
        while (Gens.integers(-1000, 1000).example(seed) >= -10) {
            seed++;
        }
        Counterexample c = counterexample(property, seed);
        assertEquals(-11, c.shrunkValue());
        assertEquals(Failure.FALSIFIED, c.failure().kind());
        Counterexample thrown = counterexample(property.withTries(1), RunConfig.defaults().withSeed(findSeedAbove(100)));
        assertEquals(101, thrown.shrunkValue());
        assertEquals(IllegalStateException.class.getName(), thrown.failure().kind());
        assertEquals("java.lang.IllegalStateException: too big: 101", thrown.failure().message());
    }

    private static long findSeedAbove(int bound) {
        long seed = 0;
        while (Gens.integers(-1000, 1000).example(seed) <= bound) {
            seed++;
        }
        return seed;
    }

    @Test
    void shrinkingStopsAtItsStepBoundAndSaysSo() {
        Property<List<Integer>> property = Property.forAll("sum < 100", Gens.lists(Gens.integers(0, 1000), 0, 20),
                xs -> sum(xs) < 100);
        Counterexample c = counterexample(property, RunConfig.defaults().withSeed(5).withMaxShrinkSteps(3));
        assertEquals(3, c.shrinkSteps());
        assertTrue(c.shrinkExhausted());
        @SuppressWarnings("unchecked")
        List<Integer> shrunk = (List<Integer>) c.shrunkValue();
        assertTrue(sum(shrunk) >= 100, "what is reported still fails: " + shrunk);
    }

    @Test
    void aShrunkInputIsALocalMinimum() {
        Property<List<Integer>> property = Property.forAll("no 3 before a 7", Gens.lists(Gens.integers(0, 9), 0, 30),
                xs -> !(xs.contains(3) && xs.lastIndexOf(7) > xs.indexOf(3)));
        Counterexample c = counterexample(property, 99);
        Execution<List<Integer>> again = Execution.of(property, Source.replay(c.choices()));
        Shrinker<List<Integer>> shrinker = new Shrinker<>(choices -> Execution.of(property, Source.replay(choices)),
                again, 10_000, Long.MAX_VALUE / 2, System::nanoTime);
        assertArrayEquals(c.choices(), shrinker.shrink().choices());
        assertFalse(shrinker.exhausted());
    }

    @Test
    void anExceptionInTheGeneratorIsAFailureWithoutAnInput() {
        Gen<Integer> broken = Gens.integers(0, 10).map(x -> {
            if (x > 5) {
                throw new ArithmeticException("generator bug at " + x);
            }
            return x;
        });
        Counterexample c = counterexample(Property.forAll("anything", broken, x -> true), 3);
        assertEquals("(none: the generator threw)", c.shrunk());
        assertEquals("the generator threw java.lang.ArithmeticException: generator bug at 6", c.failure().message());
        assertTrue(c.failure().inGenerator());
    }
}
