package io.orderhub.ingest.mail;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.springframework.stereotype.Component;

/**
 * DKIM public key records ({@code <selector>._domainkey.<domain>} TXT, RFC 6376 §3.6.2) through the JDK's own
 * DNS provider (JNDI {@code dns:}), so jDKIM needs no DNS library of its own. A name that does not exist is a
 * permanent failure (the signature cannot verify), any other lookup problem a temporary one. Not exercised by
 * the test suite: this machine has no DNS; the tests hand {@link MailSenderAuth} a key of their own.
 */
@Component
public class DkimPublicKeys implements PublicKeyRecordRetriever {

    @Override
    public List<String> getRecords(CharSequence methodAndOptions, CharSequence selector, CharSequence token)
            throws TempFailException, PermFailException {
        if (!"dns/txt".equalsIgnoreCase(methodAndOptions.toString())) {
            throw new PermFailException("only dns/txt key records are supported, not " + methodAndOptions);
        }
        String name = selector + "._domainkey." + token;
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext dns = null;
        try {
            dns = new InitialDirContext(env);
            Attributes found = dns.getAttributes("dns:/" + name, new String[] {"TXT"});
            Attribute txt = found.get("TXT");
            List<String> records = new ArrayList<>();
            for (int i = 0; txt != null && i < txt.size(); i++) {
                // a TXT record of several strings comes back quoted and space-separated: join them
                records.add(String.valueOf(txt.get(i)).replaceAll("\"\\s*\"", "").replace("\"", ""));
            }
            return records;
        } catch (NameNotFoundException e) {
            throw new PermFailException("no DKIM key record at " + name);
        } catch (NamingException e) {
            throw new TempFailException("DNS lookup of " + name + " failed: " + e.getMessage());
        } finally {
            if (dns != null) {
                try {
                    dns.close();
                } catch (NamingException ignored) {
                    // closing a DNS context frees nothing that matters
                }
            }
        }
    }
}
