package nodenogg.ymicrocosm.export;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;

/**
 * The web app's RTF export rules (nodenogg.in v0.3.40 {@code
 * products/app/src/utils/export-rtf.ts}): the document frame, metadata block, escapes ({@code
 * \\uN?} for every UTF-16 unit past ASCII, as the app writes them) and its HTML-to-RTF replacement
 * sequence, which works on the original HTML (text outside the converted tags is left as it is, as
 * in the app). Stateless.
 */
final class Rtf {
  private Rtf() {}

  private static final String D = Js.DOT;

  /** Everything up to and including the line that starts the body. */
  static final String HEADER =
      "{\\rtf1\\ansi\\ansicpg1252\\deff0\\deflang1033{\\fonttbl{\\f0\\fnil\\fcharset0 Arial;}"
          + "{\\f1\\fmodern\\fcharset0 Courier New;}}{\\colortbl;\\red128\\green128\\blue128;\\red0\\green0\\blue0;}"
          + "\\viewkind4\\uc1\\pard\\sa200\\sl276\\slmult1\\f0\\fs24\n";

  private static final String BODY_START =
      "\\viewkind4\\uc1\\pard\\sa200\\sl276\\slmult1\\f0\\fs24\n";

  /**
   * The app's {@code escapeTextForRtf}: backslash and braces escaped, non-ASCII as {@code \\uN?}
   * (unsigned decimal).
   */
  static String escape(String text) {
    String t = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}");
    StringBuilder b = new StringBuilder(t.length() + 16);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c > 0x7F) {
        if (Character.isHighSurrogate(c)
            && i + 1 < t.length()
            && Character.isLowSurrogate(t.charAt(i + 1))) {
          b.append("\\u").append((int) c).append("?\\u").append((int) t.charAt(i + 1)).append('?');
          i++;
        } else {
          b.append("\\u").append((int) c).append('?');
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static final Pattern TAG = Pattern.compile("<[^>]*>");

  /** Tags removed and the six entities the app knows decoded. */
  private static String clean(String s) {
    return Js.replaceAll(s, TAG, "")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ");
  }

  private record Step(Pattern pattern, Function<java.util.regex.MatchResult, String> f) {}

  private static Step text(String regex, String before, String after) {
    return new Step(Js.ci(regex), r -> before + escape(clean(r.group(1))) + after);
  }

  private static Step literal(String regex, String result) {
    return new Step(Js.ci(regex), r -> result);
  }

  private static final List<Step> STEPS =
      List.of(
          text("<h1[^>]*>(" + D + "*?)</h1>", "\\fs48\\b ", "\\b0\\fs24\\par\n"),
          text("<h2[^>]*>(" + D + "*?)</h2>", "\\fs40\\b ", "\\b0\\fs24\\par\n"),
          text("<h3[^>]*>(" + D + "*?)</h3>", "\\fs32\\b ", "\\b0\\fs24\\par\n"),
          text("<h4[^>]*>(" + D + "*?)</h4>", "\\fs28\\b ", "\\b0\\fs24\\par\n"),
          text("<h5[^>]*>(" + D + "*?)</h5>", "\\fs26\\b ", "\\b0\\fs24\\par\n"),
          text("<h6[^>]*>(" + D + "*?)</h6>", "\\fs24\\b ", "\\b0\\fs24\\par\n"),
          text("<strong[^>]*>(" + D + "*?)</strong>", "\\b ", "\\b0 "),
          text("<b[^>]*>(" + D + "*?)</b>", "\\b ", "\\b0 "),
          text("<em[^>]*>(" + D + "*?)</em>", "\\i ", "\\i0 "),
          text("<i[^>]*>(" + D + "*?)</i>", "\\i ", "\\i0 "),
          text("<code[^>]*>(" + D + "*?)</code>", "\\f1 ", "\\f0 "),
          text("<pre[^>]*>(" + D + "*?)</pre>", "\\f1\\par\n", "\\par\n\\f0 "),
          new Step(
              Js.ci("<a[^>]*href=[\"']([^\"']*)[\"'][^>]*>(" + D + "*?)</a>"),
              r -> escape(clean(r.group(2))) + " (" + escape(r.group(1)) + ")"),
          text(
              "<li[^>]*data-type=[\"']taskItem[\"'][^>]*data-checked=[\"']true[\"'][^>]*>("
                  + D
                  + "*?)</li>",
              "[x] ",
              "\\par\n"),
          text(
              "<li[^>]*data-type=[\"']taskItem[\"'][^>]*data-checked=[\"']false[\"'][^>]*>("
                  + D
                  + "*?)</li>",
              "[ ] ",
              "\\par\n"),
          text("<li[^>]*data-type=[\"']taskItem[\"'][^>]*>(" + D + "*?)</li>", "[ ] ", "\\par\n"),
          literal("<ul[^>]*>", ""),
          literal("</ul>", "\\par\n"),
          literal("<ol[^>]*>", ""),
          literal("</ol>", "\\par\n"),
          text("<li[^>]*>(" + D + "*?)</li>", "\\bullet  ", "\\par\n"),
          literal("<p[^>]*>", ""),
          literal("</p>", "\\par\n"),
          literal("<br" + Js.S + "*/?>", "\\line\n"),
          text("<blockquote[^>]*>(" + D + "*?)</blockquote>", "\\li720 ", "\\li0\\par\n"),
          new Step(
              Js.ci("<img[^>]*alt=[\"']([^\"']*)[\"'][^>]*/?>"),
              r -> "[Image: " + escape(r.group(1)) + "]"),
          new Step(
              Js.ci("<img[^>]*src=[\"']([^\"']*)[\"'][^>]*/?>"),
              r -> "[Image: " + escape(r.group(1)) + "]"),
          literal("<hr[^>]*/?>", "\\par\n\\brdrb\\brdrs\\par\n"),
          literal("<[^>]*>", ""));

  /** The app's {@code htmlToRtf}. */
  static String fromHtml(String html) {
    String s = html;
    for (Step st : STEPS) {
      s = Js.replaceAll(s, st.pattern(), st.f());
    }
    return s;
  }

  /** The app's {@code entityToRtf}. */
  static String entity(Entity e, List<Entity> emoji) {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("\\cf1\\fs20\n");
    b.append(escape("Created: " + Js.isoString(e.created()))).append("\\par\n");
    b.append(escape("Last Edited: " + Js.isoString(e.lastEdited()))).append("\\par\n");
    b.append(escape("Type: " + e.type().wireName())).append("\\par\n");
    if (e.data() instanceof HtmlData h) {
      if (Js.truthy(h.backgroundColor())) {
        b.append(escape("Background Color: " + h.backgroundColor())).append("\\par\n");
      }
      if (h.tags() != null && !h.tags().isEmpty()) {
        b.append(escape("Tags: " + String.join(", ", h.tags()))).append("\\par\n");
      }
      String list = AppExport.emojiList(emoji);
      if (!emoji.isEmpty() && !list.isEmpty()) {
        b.append(escape("Emojis: " + list)).append("\\par\n");
      }
    }
    b.append("\\cf2\\fs24\n");
    b.append("\\brdrb\\brdrs\\par\n");
    if (e.data() instanceof HtmlData h) {
      b.append(fromHtml(h.content()));
      if (!emoji.isEmpty()) {
        b.append("\\par\n\\brdrb\\brdrs\\par\n");
        b.append("\\b Emojis\\b0\\par\n");
        for (Entity x : emoji) {
          b.append(escape(((EmojiData) x.data()).content())).append(' ');
        }
        b.append("\\par\n");
      }
    } else if (e.data() instanceof EmojiData em) {
      b.append("\\fs48 ").append(escape(em.content())).append("\\fs24\\par\n");
    } else {
      ConnectionData c = (ConnectionData) e.data();
      b.append(
          escape(
              "Connection from "
                  + (Js.truthy(c.from()) ? c.from() : "unknown")
                  + " to "
                  + (Js.truthy(c.to()) ? c.to() : "unknown")));
    }
    return b.append('}').toString();
  }

  private static final Pattern CLOSING_BRACE = Pattern.compile("\\}\\z");

  /** The app's {@code createCombinedRtfDocument} ({@code all-nodes.rtf}). */
  static String combined(
      String microcosmId, String generatedAt, int identities, List<AppExport.File> files) {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("\\fs56\\b Microcosm Export\\b0\\fs24\\par\n");
    b.append("\\cf1\\fs20\n");
    b.append(escape("Microcosm ID: " + microcosmId)).append("\\par\n");
    b.append(escape("Generated: " + generatedAt)).append("\\par\n");
    b.append(escape("Total Entities: " + files.size())).append("\\par\n");
    b.append(escape("Total Identities: " + identities)).append("\\par\n");
    b.append("\\cf2\\fs24\n");
    b.append("\\brdrb\\brdrs\\par\n");
    for (int i = 0; i < files.size(); i++) {
      String content = files.get(i).content();
      int at = content.indexOf(BODY_START);
      if (at >= 0) {
        content = content.substring(at + BODY_START.length());
        content = Js.trim(CLOSING_BRACE.matcher(content).replaceFirst(""));
        b.append(content);
        if (i < files.size() - 1) {
          b.append("\\par\n\\page\n");
        }
      }
    }
    return b.append("\n}").toString();
  }

  static String manifest(
      String microcosmId, String generatedAt, int identities, List<String> fileNames) {
    StringBuilder files = new StringBuilder();
    for (String f : fileNames) {
      if (files.length() > 0) {
        files.append('\n');
      }
      files.append("- ").append(f);
    }
    return "# Microcosm RTF Export Manifest\n"
        + "\n"
        + "**Microcosm ID:** "
        + microcosmId
        + "\n"
        + "**Generated:** "
        + generatedAt
        + "\n"
        + "**App Version:** "
        + AppExport.APP_VERSION
        + "\n"
        + "**Total Identities:** "
        + identities
        + "\n"
        + "**Total Files:** "
        + fileNames.size()
        + "\n"
        + "\n"
        + "## Files\n"
        + "\n"
        + "- all-entities.rtf (Combined document with all entities)\n"
        + files
        + "\n"
        + "\n"
        + "## Instructions\n"
        + "\n"
        + "This export contains "
        + (fileNames.size() + 1)
        + " RTF (Rich Text Format) files from your microcosm:\n"
        + "\n"
        + "1. **all-nodes.rtf** - A single document containing all entities, separated by page breaks\n"
        + "2. **Individual entity files** - Each entity exported as a separate RTF file\n"
        + "\n"
        + "Each file contains:\n"
        + "- Metadata header with entity information (created, lastEdited, type)\n"
        + "- The original content preserved in RTF format\n"
        + "- Rich text formatting (bold, italic, headers, lists, etc.)\n"
        + "\n"
        + "RTF files can be opened in:\n"
        + "- Microsoft Word\n"
        + "- Apple Pages\n"
        + "- LibreOffice Writer\n"
        + "- Google Docs (upload and convert)\n"
        + "- Most word processors\n";
  }
}
