package l4smp.cli;

import l4smp.tlc.TestSpecs;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void convertsAnItfTraceToEveryFormat() throws Exception {
        Path itf = tmp.resolve("t.itf.json");
        Files.writeString(itf, Itf.write(TestSpecs.check("Lasso").trace()));
        for (String f : new String[]{"t.html", "t.dot", "t.txt", "T.tla"}) {
            CliRun r = CliRun.of("export", itf.toString(), "--out", tmp.resolve(f).toString());
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
        }
        assertTrue(Files.readString(tmp.resolve("t.txt")).contains("Then back to state 0 by ToGreen"));
        assertTrue(Files.exists(tmp.resolve("T.cfg")), "the tla format writes the module's cfg too");
    }

    @Test
    void aMalformedTraceSaysWhere() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"vars\": [\"x\"], \"states\": [{\"y\": 1}]}");
        CliRun r = CliRun.of("export", bad.toString(), "--out", tmp.resolve("t.html").toString());
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("$.states[0]: variable 'x' is missing"), r.err());
        assertFalse(Files.exists(tmp.resolve("t.html")));
        assertEquals(ExitCodes.USAGE, CliRun.of("export", tmp.resolve("none.json").toString(), "-o", "x.html").exit());
    }

    @Test
    void tlaNeedsTheConfig() throws Exception {
        Path itf = tmp.resolve("t.itf.json");
        Files.writeString(itf, Itf.write(TestSpecs.check("Transfer").trace().withMeta(java.util.Map.of("config", "/nonexistent.cfg"))));
        CliRun r = CliRun.of("export", itf.toString(), "-o", tmp.resolve("T.tla").toString());
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("give it with --config FILE"), r.err());
    }
}
