package l4smp.tlc.engine;

import tlc2.tool.ITool;
import tlc2.util.Vect;

import java.util.ArrayList;
import java.util.List;

/** Names the cfg lists, read from TLC's parsed configuration. */
final class ConfigNames {
    private ConfigNames() {
    }

    static List<String> properties(ITool tool) {
        return strings(tool.getModelConfig().getProperties());
    }

    private static List<String> strings(Vect<?> v) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) out.add(String.valueOf(v.elementAt(i)));
        return out;
    }
}
