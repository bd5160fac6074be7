package nodenogg.webrtc;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/** Where the pinned npm packages and Chromium are; skips the test (with the reason) when absent. */
final class JsEnv {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String NODE = "/usr/bin/node";

  private JsEnv() {}

  static File jsDir() {
    String dir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(
        dir != null, "system property nodenogg.js.dir is not set (run through Maven)");
    File js = new File(dir);
    Assumptions.assumeTrue(
        new File(js, "node_modules/y-webrtc").isDirectory(),
        "js/node_modules is not installed at " + js + " (run js/install.sh)");
    Assumptions.assumeTrue(new File(NODE).canExecute(), "node is not installed at " + NODE);
    return js;
  }

  static File browserJsDir() {
    File js = jsDir();
    Assumptions.assumeTrue(
        new File(CHROMIUM).canExecute(),
        "Chromium is not installed at "
            + CHROMIUM
            + " (apt-get install -y chromium); browser tests skipped");
    Assumptions.assumeTrue(
        new File(js, "node_modules/playwright-core").isDirectory()
            && new File(js, "node_modules/esbuild").isDirectory(),
        "playwright-core/esbuild not installed in js/");
    return js;
  }
}
