package dev.dialtone.testkit;

import java.io.File;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, through Debian's chromedriver, both named outright so Selenium
 * Manager downloads nothing; it accepts the throwaway CAs tests and the lab issue (not in the
 * browser's trust store). {@code scripts/install-prereqs} installs both.
 */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** A new browser window of the given size; quit it when done. */
  public static WebDriver start(int width, int height) {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
            "--lang=en-US");
    options.setAcceptInsecureCerts(true);
    return new ChromeDriver(service, options);
  }
}
