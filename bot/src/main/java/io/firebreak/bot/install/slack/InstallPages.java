package io.firebreak.bot.install.slack;

import com.slack.api.bolt.response.Response;

/**
 * The pages a person sees in the browser while installing Firebreak: the install link, the success page, and the clear
 * errors (an expired or reused link, a cancelled install, a refusal or silence from Slack), each with a way forward.
 */
final class InstallPages {
    /** Where an install starts (and starts again). */
    static final String INSTALL_PATH = "/slack/install";

    private final String slashCommand;

    InstallPages(String slashCommand) {
        this.slashCommand = slashCommand;
    }

    /** The install page: Slack's "Add to Slack" button, the link to Slack's consent screen carrying a fresh state. */
    String install(String authorizeUrl) {
        return page(
                "Install Firebreak",
                "<p>Firebreak runs the incident playbook for AI agents in Slack. Install it into your workspace:</p>"
                        + "<p><a href=\"" + escape(authorizeUrl) + "\"><img alt=\"Add to Slack\" height=\"40\""
                        + " width=\"139\" src=\"https://platform.slack-edge.com/img/add_to_slack.png\""
                        + " srcset=\"https://platform.slack-edge.com/img/add_to_slack.png 1x,"
                        + " https://platform.slack-edge.com/img/add_to_slack@2x.png 2x\"></a></p>"
                        + "<p>This link works once, for 10 minutes.</p>");
    }

    Response installed(String workspace, boolean orgWide) {
        return html(
                200,
                page(
                        "Firebreak is installed",
                        "<p>Firebreak is installed in <strong>" + escape(workspace) + "</strong>"
                                + (orgWide ? " (your whole Enterprise Grid org)" : "") + ".</p>"
                                + "<p>Next: in any channel, type <code>" + escape(slashCommand)
                                + " help</code> to see what it does, or <code>" + escape(slashCommand)
                                + " open high &lt;title&gt;</code> to open an incident.</p>"
                                + (orgWide
                                        ? "<p>An org-wide app is not in any workspace yet: an org admin adds it to"
                                                + " workspaces from the org's app management page.</p>"
                                        : "")));
    }

    Response expired() {
        return html(
                400,
                page(
                        "This install link has expired or was already used",
                        "<p>Install links work once, for 10 minutes. Nothing was installed.</p>" + startAgain()));
    }

    Response cancelled() {
        return html(
                200,
                page(
                        "The install was cancelled",
                        "<p>Firebreak was not installed: the install was cancelled on Slack's page.</p>"
                                + startAgain()));
    }

    /** Slack refused to finish the install ({@code error} is Slack's code, such as {@code invalid_code}). */
    Response refused(String error) {
        return html(
                400,
                page(
                        "Slack did not finish the install",
                        "<p>Slack refused to finish it (" + escape(error) + "). Nothing was installed.</p>"
                                + startAgain()));
    }

    /** Slack could not be reached, or the install could not be stored. */
    Response failed() {
        return html(
                502,
                page(
                        "The install did not finish",
                        "<p>Firebreak could not finish the install with Slack just now. Nothing was installed.</p>"
                                + startAgain()));
    }

    private static String startAgain() {
        return "<p><a href=\"" + INSTALL_PATH + "\">Start the install again</a></p>";
    }

    private static Response html(int status, String body) {
        return Response.builder()
                .statusCode(status)
                .contentType("text/html; charset=utf-8")
                .body(body)
                .build();
    }

    private static String page(String title, String content) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>body{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em}</style>"
                + "</head><body><h1>" + escape(title) + "</h1>" + content + "</body></html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
