package l4smp.tlc.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A class loader that defines TLC's classes (and l4smp's engine classes, which use them) itself,
 * instead of asking its parent, so that each instance has its own copy of TLC's static state.
 * Everything else (the JDK, Jackson, l4smp's plain result types) comes from the parent and is
 * shared, which is what lets results cross the boundary without copying.
 *
 * <p>Why: TLC keeps its configuration and much of its state in static fields (TLCGlobals, MP's
 * recorder, UniqueString's intern table, TLCState.Empty...), and a second run in the same class
 * loader sees the first run's leftovers (see shared/notes/TLC-FROM-JAVA.md). A fresh loader per
 * run makes every run start from the same clean state without resetting fields one by one.
 */
public final class IsolatedLoader extends URLClassLoader {
    /** Packages defined by this loader rather than its parent: TLC's jar and our engine. */
    static final List<String> ISOLATED = List.of(
            "tlc2.", "tla2sany.", "tla2tex.", "pcal.", "util.", "model.", "l4smp.tlc.engine.");

    static {
        registerAsParallelCapable();
    }

    public IsolatedLoader(ClassLoader parent) {
        super("tlc-run", codeSources(parent), parent);
    }

    /** The jars or class directories holding TLC and the engine (one entry when run from l4smp.jar). */
    private static URL[] codeSources(ClassLoader parent) {
        Set<URL> urls = new LinkedHashSet<>();
        urls.add(codeSourceOf(parent, "tlc2/TLC.class"));
        urls.add(codeSourceOf(parent, "l4smp/tlc/engine/TlcEngine.class"));
        return urls.toArray(new URL[0]);
    }

    private static URL codeSourceOf(ClassLoader loader, String resource) {
        URL url = loader.getResource(resource);
        if (url == null) throw new IllegalStateException("cannot find " + resource + " on the class path");
        String s = url.toString();
        try {
            if (s.startsWith("jar:")) return new URL(s.substring(4, s.indexOf("!/")));
            return new URL(s.substring(0, s.length() - resource.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a class path entry of " + s, e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isIsolated(name)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) c = findClass(name);
            if (resolve) resolveClass(c);
            return c;
        }
    }

    /** TLC reads its standard modules as resources relative to its own classes: serve them from here too. */
    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        URL url = getResource(name);
        try {
            return url == null ? null : url.openStream();
        } catch (IOException e) {
            return null;
        }
    }

    static boolean isIsolated(String className) {
        for (String p : ISOLATED) {
            if (className.startsWith(p)) return true;
        }
        return false;
    }
}
