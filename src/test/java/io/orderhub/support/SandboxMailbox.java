package io.orderhub.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.orderhub.sandbox.SandboxMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

/** Test access to the hub's sandbox mail server: a mail session on its ports and a mailbox's contents over IMAP. */
public final class SandboxMailbox {

    private final SandboxMailServer server;

    public SandboxMailbox(SandboxMailServer server) {
        this.server = server;
    }

    /** A session whose SMTP and IMAP point at the sandbox server. */
    public Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(server.smtpPort()));
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(server.imapPort()));
        return Session.getInstance(p);
    }

    /** Copies of the mails in an address's inbox (login and password: the address); none when it has no mailbox yet. */
    public List<MimeMessage> messagesFor(String address) throws Exception {
        if (server.greenMail().getUserManager().getUser(address) == null) {
            return List.of();
        }
        Store store = session().getStore("imap");
        store.connect(address, address);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<MimeMessage> copies = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                copies.add(new MimeMessage((MimeMessage) m));
            }
            inbox.close(false);
            return copies;
        } finally {
            store.close();
        }
    }

    /** The subjects in an address's inbox, logging in over IMAP as the README says (login and password = the address). */
    public List<String> subjects(String address) throws jakarta.mail.MessagingException {
        Store store = session().getStore("imap");
        store.connect(address, address);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                out.add(m.getSubject());
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
