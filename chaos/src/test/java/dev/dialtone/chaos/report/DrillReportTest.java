package dev.dialtone.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.run.EventKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class DrillReportTest {
  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final String XHTML = "http://www.w3.org/1999/xhtml";

  private final DrillReport passed = DrillReport.from(SampleReports.passed("run-1", SampleReports.T0));
  private final DrillReport hostile = DrillReport.from(SampleReports.hostile());

  @Test
  void figuresAreMeasuredFromTheTimelineAgainstTheExpectations() {
    assertThat(passed.passed()).isTrue();
    assertThat(passed.figures())
        .extracting(Figure::name, Figure::measured, Figure::objective, Figure::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fault → first failed probe", "1.200s", null, null),
            org.assertj.core.groups.Tuple.tuple("fault → region DOWN", "2.300s", null, null),
            org.assertj.core.groups.Tuple.tuple("fault → decision", "2.400s", null, null),
            org.assertj.core.groups.Tuple.tuple("fault → carrier shifted", "2.600s", null, null),
            org.assertj.core.groups.Tuple.tuple("fault → DNS shifted", "2.700s", null, null),
            org.assertj.core.groups.Tuple.tuple("fault → traffic shifted (carrier and DNS)", "2.700s", "≤ 10s", true),
            org.assertj.core.groups.Tuple.tuple("healed → failed back", "14.990s", "≤ 1m", true),
            org.assertj.core.groups.Tuple.tuple("outage mode entered", "0", "0", true),
            org.assertj.core.groups.Tuple.tuple("failed lab calls", "0", "0", true));
    assertThat(hostile.figures())
        .filteredOn(f -> f.name().equals("fault → traffic shifted (carrier and DNS)"))
        .singleElement()
        .satisfies(f -> assertThat(f.measured()).isEqualTo("not observed"))
        .satisfies(f -> assertThat(f.met()).isFalse());
  }

  @Test
  void theCallsCountedDuringARunAreFiguresPerDestination() {
    var before = new dev.dialtone.actuation.calls.CallCounts(java.util.Map.of(
        "us-east", new dev.dialtone.actuation.calls.CallCounts.Destination(10, 9)), 1);
    var after = new dev.dialtone.actuation.calls.CallCounts(java.util.Map.of(
        "us-east", new dev.dialtone.actuation.calls.CallCounts.Destination(12, 11),
        "voicemail", new dev.dialtone.actuation.calls.CallCounts.Destination(14, 14)), 3);
    DrillReport counted = passed.withCalls(java.util.Optional.of(after.since(before)));
    assertThat(counted.figures().subList(passed.figures().size(), counted.figures().size()))
        .extracting(Figure::name, Figure::measured)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("calls that reached us-east", "2 answered of 2 routed"),
            org.assertj.core.groups.Tuple.tuple("calls that reached voicemail", "14 answered of 14 routed"),
            org.assertj.core.groups.Tuple.tuple("calls no destination answered", "2"));
    assertThat(counted.passed()).isEqualTo(passed.passed());
    assertThat(MarkdownReport.render(counted)).contains("calls that reached voicemail", "14 answered of 14 routed");
    assertThat(passed.withCalls(java.util.Optional.empty()).figures()).last()
        .satisfies(f -> assertThat(f.name()).isEqualTo(DrillReport.CALLS_NOT_COUNTED))
        .satisfies(f -> assertThat(f.measured()).contains("not counted"));
  }

  @Test
  void callFailuresSeenOutsideTheControlPlaneFailARunThatExpectedNone() {
    java.time.Instant during = passed.startedAt().plusSeconds(3);
    DrillReport merged = passed.withObservedCallFailures(List.of(during, during.plusMillis(500)), "the lab's caller");
    assertThat(merged.passed()).isFalse();
    assertThat(merged.state()).isEqualTo(dev.dialtone.chaos.run.DrillState.FAILED);
    assertThat(merged.reason()).contains("2 call(s) failed", "the lab's caller");
    assertThat(merged.figures()).filteredOn(f -> f.name().equals(DrillReport.FAILED_CALLS)).singleElement()
        .satisfies(f -> assertThat(f.measured()).isEqualTo("2"))
        .satisfies(f -> assertThat(f.met()).isFalse());
    assertThat(merged.timeline()).filteredOn(e -> e.kind() == dev.dialtone.chaos.run.EventKind.LAB_CALL_FAILED)
        .extracting(dev.dialtone.chaos.run.TimelineEvent::at).containsExactly(during, during.plusMillis(500));
    assertThat(merged.timeline()).isSortedAccordingTo(java.util.Comparator.comparing(dev.dialtone.chaos.run.TimelineEvent::at));
    assertThat(passed.withObservedCallFailures(List.of(), "the lab's caller")).isSameAs(passed);
  }

  @Test
  void jsonHasTheEventsInOrderAndReadsBack() throws Exception {
    String json = JsonReport.render(passed);

    assertInOrder(json, SampleReports.STORY.stream().map(k -> "\"" + k.name() + "\"").toList());
    assertThat(json).contains("\"at\" : \"2026-11-02T10:00:02.710Z\"");
    assertThat(JsonReport.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(passed);
  }

  @Test
  void markdownHasTheEventsInOrderAndEscapesHostileText() {
    String md = MarkdownReport.render(passed);

    assertInOrder(md, SampleReports.STORY.stream().map(k -> "| " + MarkdownReport.label(k) + " |").toList());
    assertThat(md).contains("| +2.700s | DNS shifted | voice.example.com. A 198.51.100.20 |");
    assertThat(md).contains("| fault → traffic shifted (carrier and DNS) | 2.700s | ≤ 10s | yes |");
    String hostileMd = MarkdownReport.render(hostile);
    assertThat(hostileMd).doesNotContain("<script>").contains("&lt;script&gt;").contains("\\| pipe");
    assertThat(hostileMd.lines().filter(l -> l.startsWith("| ") && l.contains("outage mode entered |")))
        .allSatisfy(l -> assertThat(l.split("(?<!\\\\)\\|")).hasSize(5));
  }

  @Test
  void htmlIsWellFormedXhtmlWithTheEventsInOrderInTheTableAndTheChart() throws Exception {
    String html = HtmlReport.render(passed);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/sample-report.html"), html);

    Document page = parse(html);
    NodeList svgs = page.getElementsByTagNameNS(SVG, "svg");
    assertThat(svgs.getLength()).isOne();
    Element svg = (Element) svgs.item(0);
    assertThat(svg.getElementsByTagNameNS(SVG, "circle").getLength()).isEqualTo(SampleReports.STORY.size());
    List<String> circleTitles = texts(svg.getElementsByTagNameNS(SVG, "title")).stream().filter(t -> t.contains(" at ")).toList();
    assertInOrder(String.join("\n", circleTitles), SampleReports.STORY.stream().map(k -> MarkdownReport.label(k) + " at ").toList());
    assertInOrder(html, SampleReports.STORY.stream().map(k -> "<td>" + MarkdownReport.label(k) + "</td>").toList());
    assertThat(texts(svg.getElementsByTagNameNS(SVG, "text"))).contains("shift objective ≤ 10s");
    assertThat(html).doesNotContain("<script", "<link", "<img", "src=", "url(");
    assertThat(html.replace("http://www.w3.org/1999/xhtml", "").replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
  }

  @Test
  void htmlEscapesHostileText() throws Exception {
    String html = HtmlReport.render(hostile);

    Document page = parse(html);
    assertThat(page.getElementsByTagNameNS(XHTML, "script").getLength()).isZero();
    assertThat(page.getElementsByTagName("script").getLength()).isZero();
    assertThat(page.getElementsByTagNameNS(XHTML, "title").item(0).getTextContent()).startsWith("Drill " + SampleReports.HOSTILE);
    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    assertThat(html).doesNotContain("\u0007");
  }

  @Test
  void aTimelineTooLongForAZnodeKeepsItsStartAndEnd() {
    var base = SampleReports.passed("run-long", SampleReports.T0);
    var events = new java.util.ArrayList<>(base.timeline());
    for (int i = 0; i < 2000; i++) {
      events.add(new dev.dialtone.chaos.run.TimelineEvent(SampleReports.T0.plusMillis(20_000 + i), EventKind.LAB_CALL_FAILED, "call " + i));
    }
    var longRun =
        new dev.dialtone.chaos.run.DrillResult(
            base.drill(), base.runId(), 7, base.state(), base.reason(), base.startedAt(), base.endedAt(), events, List.of());

    DrillReport report = DrillReport.from(longRun);

    assertThat(report.timelineTruncated()).isTrue();
    assertThat(report.timeline()).hasSize(DrillReport.MAX_EVENTS);
    assertThat(report.timeline().get(0).kind()).isEqualTo(EventKind.PREFLIGHT_PASSED);
    assertThat(report.timeline().get(DrillReport.MAX_EVENTS - 1).kind()).isEqualTo(EventKind.FINISHED);
    assertThat(report.figures()).filteredOn(f -> f.name().equals("failed lab calls")).singleElement().satisfies(f -> assertThat(f.measured()).isEqualTo("2000"));
    assertThat(JsonReport.bytes(report).length).isLessThan(ZooKeeperReportStore.MAX_BYTES);
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(NodeList nodes) {
    return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent()).toList();
  }

  private static void assertInOrder(String text, List<String> parts) {
    int from = 0;
    for (String part : parts) {
      int at = text.indexOf(part, from);
      assertThat(at).as("'%s' after position %d", part, from).isGreaterThanOrEqualTo(0);
      from = at + part.length();
    }
  }
}
