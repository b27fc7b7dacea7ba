package l4smp.mutate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The module to mutate, read from its file, and the modules of its directory that it EXTENDS
 * (directly or through each other): they name the values a mutant may exchange (thread states,
 * completion codes). Standard modules (Naturals, TLC, ...) are not in the directory and are skipped.
 */
public record SpecModules(Path file, ModuleText module, List<ModuleText> extended) {

    public static SpecModules load(Path file) {
        ModuleText module = read(file);
        List<ModuleText> extended = new ArrayList<>();
        List<String> todo = new ArrayList<>(extendsOf(module));
        List<String> seen = new ArrayList<>();
        while (!todo.isEmpty()) {
            String name = todo.remove(0);
            Path f = file.resolveSibling(name + ".tla");
            if (seen.contains(name) || !Files.isRegularFile(f)) continue;
            seen.add(name);
            ModuleText m = read(f);
            extended.add(m);
            todo.addAll(extendsOf(m));
        }
        return new SpecModules(file.toAbsolutePath().normalize(), module, List.copyOf(extended));
    }

    private static ModuleText read(Path file) {
        try {
            return ModuleText.parse(Files.readString(file));
        } catch (IOException e) {
            throw new MutationException("cannot read " + file + ": " + e.getMessage(), "give a readable .tla file");
        } catch (IllegalArgumentException e) {
            throw new MutationException("cannot read " + file + " as a TLA+ module: " + e.getMessage(),
                    "check that it is a TLA+ module (---- MODULE Name ----)");
        }
    }

    /** The names after EXTENDS. */
    private static List<String> extendsOf(ModuleText m) {
        List<TlaToken> tokens = TlaToken.scan(m.text());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).is("EXTENDS")) continue;
            for (int j = i + 1; j < tokens.size(); j += 2) {
                if (tokens.get(j).kind() != TlaToken.Kind.IDENT) break;
                names.add(tokens.get(j).text());
                if (j + 1 >= tokens.size() || !tokens.get(j + 1).is(",")) break;
            }
            break;
        }
        return names;
    }

    /** The module's name. */
    public String name() {
        return module.name();
    }

    /** The module's text. */
    public String text() {
        return module.text();
    }

    /** The mutants of the definitions {@code next} uses. */
    public List<Mutant> mutants(String next) {
        try {
            return MutantGenerator.generate(module, extended, next);
        } catch (IllegalArgumentException e) {
            throw new MutationException(e.getMessage(), "give the name of the spec's next-state relation with --next");
        }
    }
}
