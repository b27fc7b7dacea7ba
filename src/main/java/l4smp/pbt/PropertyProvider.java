package l4smp.pbt;

/**
 * Contributes named properties to the project's registry. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code src/main/resources/META-INF/services/l4smp.pbt.PropertyProvider}, one name per line.
 */
public interface PropertyProvider {
    /** Registers this provider's properties in {@code registry}. */
    void registerProperties(PropertyRegistry registry);
}
