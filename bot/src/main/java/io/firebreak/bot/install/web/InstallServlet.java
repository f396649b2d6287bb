package io.firebreak.bot.install.web;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackOAuthAppServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /slack/install} and {@code GET /slack/oauth_redirect}, served by Bolt's OAuth servlet. Each answer belongs
 * to one browser (it sets or clears that browser's state cookie, and the redirect's address carries Slack's one-time
 * code): no cache keeps it and no page it links to learns the address.
 */
public final class InstallServlet extends SlackOAuthAppServlet {
    public InstallServlet(App installApp) {
        super(installApp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Referrer-Policy", "no-referrer");
        super.doGet(req, resp);
    }
}
