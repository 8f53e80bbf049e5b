package dev.dialtone.testkit.kamailio;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;

/** The kamailio.cfg the test kit runs: a dispatcher proxy with failover and JSON-RPC over HTTP. */
final class KamailioConfigFile {
  private KamailioConfigFile() {}

  static String render(int sipPort, int httpPort, int setId, Path listFile) {
    return render(sipPort, httpPort, setId, listFile, List.of());
  }

  /**
   * With {@code extraAddresses} (e.g. the host ends of network namespaces' veth pairs) Kamailio
   * also listens there, and {@code mhomed} makes it send from the address on the route to each
   * destination: a loopback source cannot leave through a veth.
   */
  static String render(int sipPort, int httpPort, int setId, Path listFile, List<String> extraAddresses) {
    StringBuilder extra = new StringBuilder();
    for (String a : extraAddresses) {
      extra.append("listen=udp:").append(a).append(':').append(sipPort).append('\n');
    }
    if (!extraAddresses.isEmpty()) {
      extra.append("mhomed=1\n");
    }
    return extra.isEmpty() ? base(sipPort, httpPort, setId, listFile)
        : base(sipPort, httpPort, setId, listFile).replaceFirst("(?m)^mpath=", Matcher.quoteReplacement(extra.toString()) + "mpath=");
  }

  private static String base(int sipPort, int httpPort, int setId, Path listFile) {
    return """
        #!KAMAILIO
        debug=2
        log_stderror=yes
        children=2
        tcp_children=2
        auto_aliases=no
        # xhttp serves JSON-RPC over plain HTTP requests, which may come without Content-Length.
        tcp_accept_no_cl=yes
        listen=udp:127.0.0.1:%1$d
        listen=tcp:127.0.0.1:%1$d
        listen=tcp:127.0.0.1:%2$d
        mpath="%5$s/"
        loadmodule "kex.so"
        loadmodule "corex.so"
        loadmodule "tm.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xhttp.so"
        loadmodule "jsonrpcs.so"
        loadmodule "htable.so"
        loadmodule "dispatcher.so"

        # JSON-RPC over HTTP only: no FIFO or datagram sockets outside the work directory.
        modparam("jsonrpcs", "transport", 1)
        modparam("jsonrpcs", "pretty_format", 0)
        # An unanswered branch fails over after 1 s instead of the 30 s default.
        modparam("tm", "fr_timer", 1000)
        modparam("tm", "fr_inv_timer", 30000)
        # Per-number dispatcher sets and ownership metadata.
        modparam("htable", "htable", "dialtone=>size=8;")
        modparam("dispatcher", "list_file", "%4$s")
        modparam("dispatcher", "flags", 2)
        # Routing shifts reload the list as often as they need (the default allows one per 5 s).
        modparam("dispatcher", "reload_delta", 0)
        # OPTIONS keepalive to every destination each second; one failure marks it inactive,
        # one success brings it back (the per-call second line of defence).
        modparam("dispatcher", "ds_ping_interval", 1)
        modparam("dispatcher", "ds_probing_mode", 1)
        modparam("dispatcher", "ds_probing_threshold", 1)
        modparam("dispatcher", "ds_inactive_threshold", 1)
        modparam("dispatcher", "ds_ping_from", "sip:dispatcher@127.0.0.1")
        modparam("dispatcher", "ds_ping_reply_codes", "class=2")

        request_route {
          if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
          if (has_totag()) {
            if (loose_route() || uri != myself) { t_relay(); }
            else if (is_method("ACK") && t_check_trans()) { t_relay(); }
            exit;
          }
          if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
          if (is_method("OPTIONS") && uri == myself) { sl_send_reply("200", "OK"); exit; }
          if (!is_method("INVITE")) { sl_send_reply("405", "Method Not Allowed"); exit; }
          record_route();
          # Outbound: addressed beyond this proxy. Whoever manages routing blocks it in outage
          # mode (htable.seti dialtone outbound_blocked 1).
          if (uri != myself) {
            if ($sht(dialtone=>outbound_blocked) == 1) { sl_send_reply("403", "Outbound Calling Blocked"); exit; }
            if (!t_relay()) { sl_reply_error(); }
            exit;
          }
          # A number (DID) may have a dispatcher set of its own, named in the htable by whoever
          # manages routing (htable.seti dialtone did:<number> <set>).
          $var(set) = %3$d;
          if ($sht(dialtone=>did:$rU) != $null) { $var(set) = $sht(dialtone=>did:$rU); }
          # Algorithm 8: the destination with the highest priority first, the others in order.
          if (!ds_select_dst("$var(set)", "8")) { sl_send_reply("503", "No Destination"); exit; }
          t_on_failure("NEXT_DESTINATION");
          if (!t_relay()) { sl_reply_error(); }
          exit;
        }

        failure_route[NEXT_DESTINATION] {
          if (t_is_canceled()) { exit; }
          if (t_check_status("503|408|500") || (t_branch_timeout() && !t_branch_replied())) {
            ds_mark_dst("ip");
            if (ds_next_dst()) {
              t_on_failure("NEXT_DESTINATION");
              t_relay();
              exit;
            }
          }
        }

        event_route[xhttp:request] {
          if ($hu =~ "^/RPC") { jsonrpc_dispatch(); exit; }
          xhttp_reply("404", "Not Found", "text/plain", "JSON-RPC is served at /RPC");
        }
        """.formatted(sipPort, httpPort, setId, listFile, KamailioServer.MODULES);
  }
}
