package l4smp.trace.format;

import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML trace viewer in a real browser, headless Chromium at 1,400 px: a kernel-sized trace
 * (16 function-valued variables over 12 threads, 300-character step labels joined with '+')
 * renders in the per-entity view without widening the page, and the screenshot shows something.
 *
 * <p>Needs /usr/bin/chromium ({@code apt-get install chromium}); {@code .ci/run} installs it, and
 * without it this test is skipped with a message saying so.
 */
class HtmlBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int WIDTH = 1400;

    @TempDir
    Path tmp;

    @Test
    void aKernelSizedTraceFitsA1400PixelWindowInTheEntityView() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: no /usr/bin/chromium (apt-get install chromium; .ci/run installs it)");
        String html = HtmlFormat.write(kernelSizedTrace());
        Path page = tmp.resolve("trace.html");
        Files.writeString(page, html.replace("</body>", MEASURE + "</body>"));

        String dom = chromium("--dump-dom", page.toUri().toString());
        Matcher m = Pattern.compile("<title>(\\{.*?})</title>").matcher(dom);
        assertTrue(m.find(), "the measuring script ran: " + dom.substring(0, Math.min(500, dom.length())));
        String measured = m.group(1);
        assertTrue(measured.contains("\"view\":\"entities\""), measured);
        assertTrue(measured.contains("\"tables\":3,"), "one entity table per state: " + measured);
        assertEquals(WIDTH, number(measured, "viewport"), measured);
        assertTrue(number(measured, "widest") <= WIDTH, "no state table wider than the window: " + measured);
        assertTrue(number(measured, "page") <= WIDTH, "no horizontal scrolling: " + measured);

        Path png = tmp.resolve("trace.png");
        chromium("--screenshot=" + png, page.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WIDTH, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) for (int x = 0; x < image.getWidth(); x += 7) colours.add(image.getRGB(x, y));
        assertTrue(colours.size() > 20, "the screenshot shows a page, not a blank: " + colours.size() + " colours");
    }

    /** After load: which view shows, how many entity tables, and the widths that matter, as JSON in the title. */
    private static final String MEASURE = """
            <script>
            window.addEventListener('load', function () {
              var tables = document.querySelectorAll('#entities table.entities');
              var widest = 0;
              tables.forEach(function (t) { widest = Math.max(widest, t.getBoundingClientRect().right); });
              document.title = JSON.stringify({
                view: document.body.classList.contains('view-entities') ? 'entities' : 'table',
                tables: tables.length, widest: Math.ceil(widest),
                page: document.documentElement.scrollWidth, viewport: window.innerWidth });
            });
            </script>
            """;

    private String chromium(String... what) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"),
                "--window-size=" + WIDTH + ",1000"));
        command.addAll(List.of(what));
        Process p = new ProcessBuilder(command).redirectError(tmp.resolve("chromium.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        return out;
    }

    private static int number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Integer.parseInt(m.group(1));
    }

    /**
     * Three states of 16 variables, each a function over 12 threads (long thread names), and
     * step labels of about 300 characters made of path segments joined with '+'.
     */
    static Trace kernelSizedTrace() {
        List<String> vars = new ArrayList<>();
        for (int v = 0; v < 16; v++) vars.add("variable" + v);
        List<TraceState> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, TlaValue> values = new LinkedHashMap<>();
            for (String v : vars) {
                Map<TlaValue, TlaValue> f = new LinkedHashMap<>();
                for (int t = 0; t < 12; t++) {
                    f.put(TlaValue.model("task" + t + "_thread_with_a_long_name"),
                            TlaValue.str((t == i ? "changed_" : "waiting_for_partner_") + v + "_" + t));
                }
                values.put(v, TlaValue.fun(f));
            }
            String label = String.join("+", java.util.Collections.nCopies(12, "ipc.sendPath.segment" + i));
            states.add(new TraceState(values, i == 0 ? null : new ActionLabel(label, Map.of("cpu", TlaValue.of(i)), null)));
        }
        return Trace.of(vars, states);
    }
}
