package nodenogg.ymicrocosm.export;

import java.util.List;
import java.util.regex.Pattern;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;

/**
 * The web app's Markdown export rules (nodenogg.in v0.3.40 {@code
 * products/app/src/utils/export-md.ts}): file names, front matter, and its HTML-to-Markdown
 * conversion, which is a fixed sequence of regular expression replacements (so odd inputs convert
 * exactly as the app converts them). Stateless.
 */
final class Markdown {
  private Markdown() {}

  private static final String D = Js.DOT;

  /** One replacement step: pattern and its result ({@code $1}, {@code $2} are groups 1 and 2). */
  private record Step(Pattern pattern, String template) {
    String apply(String s) {
      return Js.replaceAll(s, pattern, r -> expand(template, r));
    }
  }

  /** A JS replacement template with {@code $1}..{@code $9} (an unmatched group is empty). */
  static String expand(String template, java.util.regex.MatchResult r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '$'
          && i + 1 < template.length()
          && Character.isDigit(template.charAt(i + 1))
          && template.charAt(i + 1) - '0' <= r.groupCount()
          && template.charAt(i + 1) != '0') {
        String g = r.group(template.charAt(i + 1) - '0');
        b.append(g == null ? "" : g);
        i++;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Step step(String regex, String template) {
    return new Step(Js.ci(regex), template);
  }

  private static final Pattern OL = Js.ci("<ol[^>]*>([\\s\\S]*?)</ol>");
  private static final Pattern OL_ITEM = Js.ci("<li[^>]*>(" + D + "*?)</li>");

  /**
   * In order, after ordered lists. Templates use $1/$2 literally (group text is inserted as is).
   */
  private static final List<Step> STEPS =
      List.of(
          step("<h1[^>]*>(" + D + "*?)</h1>", "# $1\n\n"),
          step("<h2[^>]*>(" + D + "*?)</h2>", "## $1\n\n"),
          step("<h3[^>]*>(" + D + "*?)</h3>", "### $1\n\n"),
          step("<h4[^>]*>(" + D + "*?)</h4>", "#### $1\n\n"),
          step("<h5[^>]*>(" + D + "*?)</h5>", "##### $1\n\n"),
          step("<h6[^>]*>(" + D + "*?)</h6>", "###### $1\n\n"),
          step("<strong[^>]*>(" + D + "*?)</strong>", "**$1**"),
          step("<b[^>]*>(" + D + "*?)</b>", "**$1**"),
          step("<em[^>]*>(" + D + "*?)</em>", "*$1*"),
          step("<i[^>]*>(" + D + "*?)</i>", "*$1*"),
          step("<code[^>]*>(" + D + "*?)</code>", "`$1`"),
          step("<pre[^>]*>(" + D + "*?)</pre>", "```\n$1\n```"),
          step("<a[^>]*href=[\"']([^\"']*)[\"'][^>]*>(" + D + "*?)</a>", "[$2]($1)"),
          step("<ul[^>]*data-type=[\"']taskList[\"'][^>]*>", ""),
          step(
              "<li[^>]*data-type=[\"']taskItem[\"'][^>]*data-checked=[\"']true[\"'][^>]*>("
                  + D
                  + "*?)</li>",
              "- [x] $1"),
          step(
              "<li[^>]*data-type=[\"']taskItem[\"'][^>]*data-checked=[\"']false[\"'][^>]*>("
                  + D
                  + "*?)</li>",
              "- [ ] $1"),
          step("<li[^>]*data-type=[\"']taskItem[\"'][^>]*>(" + D + "*?)</li>", "- [ ] $1"),
          step("<ul[^>]*>", ""),
          step("</ul>", ""),
          step("<li[^>]*>(" + D + "*?)</li>", "- $1"),
          step("<p[^>]*>", ""),
          step("</p>", "\n\n"),
          step("<br" + Js.S + "*/?>", "\n"),
          step("<blockquote[^>]*>(" + D + "*?)</blockquote>", "> $1"),
          step("<img[^>]*src=[\"']([^\"']*)[\"'][^>]*alt=[\"']([^\"']*)[\"'][^>]*/?>", "![$2]($1)"),
          step("<img[^>]*alt=[\"']([^\"']*)[\"'][^>]*src=[\"']([^\"']*)[\"'][^>]*/?>", "![$1]($2)"),
          step("<img[^>]*src=[\"']([^\"']*)[\"'][^>]*/?>", "![]($1)"),
          step("<hr[^>]*/?>", "---"),
          step("<table[^>]*>", ""),
          step("</table>", ""),
          step("<tr[^>]*>", ""),
          step("</tr>", "\n"),
          step("<td[^>]*>(" + D + "*?)</td>", "| $1 "),
          step("<th[^>]*>(" + D + "*?)</th>", "| $1 "),
          step("<[^>]*>", ""),
          step("&amp;", "&"),
          step("&lt;", "<"),
          step("&gt;", ">"),
          step("&quot;", "\""),
          step("&#39;", "'"),
          step("&nbsp;", " "),
          step("\n" + Js.S + "*\n" + Js.S + "*\n", "\n\n"),
          step("^" + Js.S + "+|" + Js.S + "+\\z", ""));

  /** The app's {@code htmlToMarkdown}. */
  static String fromHtml(String html) {
    String s =
        Js.replaceAll(
            html,
            OL,
            r -> {
              int[] counter = {1};
              return Js.replaceAll(
                  r.group(1), OL_ITEM, li -> counter[0]++ + ". " + li.group(1) + "\n");
            });
    for (Step st : STEPS) {
      s = st.apply(s);
    }
    return s;
  }

  private static final Pattern NOT_NAME =
      Pattern.compile("[^A-Za-z0-9_" + Js.S.substring(1, Js.S.length() - 1) + "-]");
  private static final Pattern SPACES = Pattern.compile(Js.S + "+");

  /** The app's file name rule; {@code stripTags} for the RTF variant (which removes tags first). */
  static String fileName(Entity e, int index, String extension, boolean stripTags) {
    String date = Js.isoDate(e.created());
    if (e.data() instanceof HtmlData h && !h.content().isEmpty()) {
      String first = h.content().split("\n", -1)[0];
      if (stripTags) {
        first = Js.replaceAll(first, Pattern.compile("<[^>]*>"), "");
      }
      String cleaned = Js.replaceAll(first, NOT_NAME, "");
      cleaned = Js.replaceAll(cleaned, SPACES, "-").toLowerCase(java.util.Locale.ROOT);
      cleaned = Js.trim(cleaned.substring(0, Math.min(50, cleaned.length())));
      if (!cleaned.isEmpty()) {
        return date + "-" + cleaned + "." + extension;
      }
    }
    return date + "-entity-" + (index + 1) + "." + extension;
  }

  /** The app's {@code entityToMarkdown}. */
  static String entity(Entity e, List<Entity> emoji) {
    StringBuilder meta = new StringBuilder("---\n");
    meta.append("created: ").append(Js.isoString(e.created())).append('\n');
    meta.append("lastEdited: ").append(Js.isoString(e.lastEdited())).append('\n');
    meta.append("type: ").append(e.type().wireName());
    if (e.data() instanceof HtmlData h) {
      if (Js.truthy(h.backgroundColor())) {
        meta.append("\nbackgroundColor: ").append(h.backgroundColor());
      }
      if (h.tags() != null && !h.tags().isEmpty()) {
        meta.append("\ntags: [").append(String.join(", ", h.tags())).append(']');
      }
      String list = AppExport.emojiList(emoji);
      if (!emoji.isEmpty() && !list.isEmpty()) {
        meta.append("\nemojis: [").append(list).append(']');
      }
    }
    meta.append("\n---\n\n");
    if (e.data() instanceof HtmlData h) {
      String section = "";
      if (!emoji.isEmpty()) {
        StringBuilder b = new StringBuilder("\n\n---\n\n## Emojis\n\n");
        for (Entity x : emoji) {
          b.append(((EmojiData) x.data()).content()).append(' ');
        }
        section = Js.trim(b.toString());
      }
      return meta + fromHtml(h.content()) + section;
    }
    if (e.data() instanceof EmojiData em) {
      return meta + "# " + em.content();
    }
    ConnectionData c = (ConnectionData) e.data();
    return meta
        + "Connection from "
        + (Js.truthy(c.from()) ? c.from() : "unknown")
        + " to "
        + (Js.truthy(c.to()) ? c.to() : "unknown");
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
    return "# Microcosm Export Manifest\n"
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
        + files
        + "\n"
        + "\n"
        + "## Instructions\n"
        + "\n"
        + "This export contains "
        + fileNames.size()
        + " markdown files from your microcosm. Each file contains:\n"
        + "- YAML frontmatter with metadata (entity_id, created, lastEdited, type)\n"
        + "- The original content preserved as markdown\n"
        + "\n"
        + "To use these files:\n"
        + "1. Extract the ZIP archive to a directory\n"
        + "2. Each .md file can be opened in any markdown editor\n"
        + "3. The frontmatter contains the original entity metadata\n";
  }
}
