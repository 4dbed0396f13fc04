package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.DefaultUser;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.STALE;

/**
 * The part of ACL that a single-user server needs: the default user's passwords and on/off
 * state (SETUSER), and the read-only views clients and the management plane ask for.
 */
public final class AclCommands extends CommandFamily {
    public AclCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("acl").arity(-2).acl("slow").group("server").since("6.0.0")
                .summary("A container for Access List Control commands.").complexity("Depends on subcommand.")
                .subcommand("setuser").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .summary("Creates and modifies an ACL user and its rules.").complexity("O(N). Where N is the number of rules provided.")
                .implementation(this::setUser).done()
                .subcommand("whoami").arity(2).flags(NOSCRIPT, LOADING, STALE).acl("slow")
                .summary("Returns the authenticated username of the current connection.").complexity("O(1)")
                .implementation((session, args) -> session.out().bulk("default")).done()
                .subcommand("users").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .summary("Lists all ACL users.").complexity("O(N). Where N is the number of configured users.")
                .implementation(this::users).done()
                .subcommand("list").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .summary("Dumps the effective rules in ACL file format.").complexity("O(N). Where N is the number of configured users.")
                .implementation(this::list).done());
    }

    private void setUser(Session session, Arguments args) {
        if (!args.string(2).equals("default")) {
            error(session, "ERR Magpie has only the default user; ACL SETUSER cannot create '" + args.string(2) + "'");
            return;
        }
        DefaultUser user = engine.defaultUser();
        for (int i = 3; i < args.count(); i++) {
            String rule = args.string(i);
            if (!isValid(rule)) {
                error(session, "ERR Error in ACL SETUSER modifier '" + rule + "': Syntax error");
                return;
            }
        }
        for (int i = 3; i < args.count(); i++) {
            String rule = args.string(i);
            String lower = rule.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("on")) {
                user.enabled(true);
            } else if (lower.equals("off")) {
                user.enabled(false);
            } else if (lower.equals("nopass") || lower.equals("resetpass")) {
                user.resetPasswords();
            } else if (rule.startsWith(">")) {
                user.addPassword(rule.substring(1));
            } else if (rule.startsWith("<")) {
                if (!user.removePassword(rule.substring(1))) {
                    error(session, "ERR Error in ACL SETUSER modifier '" + rule + "': no such password");
                    return;
                }
            }
        }
        session.out().ok();
    }

    /** Rules about passwords and state apply; permission rules are accepted as the default user already has them all. */
    private static boolean isValid(String rule) {
        String lower = rule.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("on") || lower.equals("off") || lower.equals("nopass") || lower.equals("resetpass")
                || rule.startsWith(">") || rule.startsWith("<") || lower.equals("allkeys") || lower.equals("~*")
                || lower.equals("allchannels") || lower.equals("&*") || lower.equals("allcommands")
                || lower.equals("+@all");
    }

    private void users(Session session, Arguments args) {
        session.out().arrayHeader(1);
        session.out().bulk("default");
    }

    private void list(Session session, Arguments args) {
        session.out().arrayHeader(1);
        session.out().bulk(engine.defaultUser().describe());
    }
}
