package io.orderhub.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;

/**
 * An AMQP 1.0 client on a plain socket, driving the proton-j protocol engine (on the class path with Artemis' AMQP
 * protocol module) by hand: SASL PLAIN or ANONYMOUS, open, attach one link, and nothing more. No JMS mapping between
 * the test and the wire: what the broker answers is what an attacker's AMQP client would see.
 */
final class Amqp implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Transport transport = Proton.transport();
    private final Connection connection = Proton.connection();
    private final Sasl sasl;
    private Session session;

    /** Connects and runs SASL: {@code user} null for ANONYMOUS, else PLAIN. */
    Amqp(int port, String user, String password) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(100);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        sasl = transport.sasl();
        sasl.client();
        if (user == null) {
            sasl.setMechanisms("ANONYMOUS");
        } else {
            sasl.plain(user, password);
        }
        transport.bind(connection);
        connection.setContainer("attacker-" + System.nanoTime());
        connection.setHostname("localhost");
        connection.open();
        pump(() -> sasl.getOutcome() != Sasl.SaslOutcome.PN_SASL_NONE);
    }

    /** The broker's SASL verdict. */
    Sasl.SaslOutcome saslOutcome() {
        return sasl.getOutcome();
    }

    /**
     * Whether the broker opened the AMQP connection: SASL succeeded and the broker's login took the user (SASL
     * ANONYMOUS passes the SASL layer; the broker then refuses the connection itself).
     */
    boolean opened() throws IOException {
        if (sasl.getOutcome() != Sasl.SaslOutcome.PN_SASL_OK) {
            return false;
        }
        pump(() -> connection.getRemoteState() != EndpointState.UNINITIALIZED);
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        pump(() -> connection.getRemoteState() == EndpointState.CLOSED || System.nanoTime() > until);
        return connection.getRemoteState() == EndpointState.ACTIVE && connection.getRemoteCondition().getCondition() == null
                && !transport.isClosed();
    }

    /** Attaches a receiver on {@code address}; true when the broker keeps the link open (it may read from there). */
    boolean receiveFrom(String address) throws IOException {
        Receiver receiver = session().receiver("receiver-" + System.nanoTime());
        Source source = new Source();
        source.setAddress(address);
        receiver.setSource(source);
        receiver.setTarget(new Target());
        receiver.open();
        return attached(receiver);
    }

    /** Attaches a sender on {@code address}; true when the broker keeps the link open (it may send there). */
    boolean sendTo(String address) throws IOException {
        Sender sender = session().sender("sender-" + System.nanoTime());
        Target target = new Target();
        target.setAddress(address);
        sender.setTarget(target);
        sender.setSource(new Source());
        sender.open();
        return attached(sender);
    }

    private Session session() throws IOException {
        if (session == null) {
            pump(() -> connection.getRemoteState() != EndpointState.UNINITIALIZED);
            session = connection.session();
            session.open();
        }
        return session;
    }

    private boolean attached(Link link) throws IOException {
        pump(() -> link.getRemoteState() != EndpointState.UNINITIALIZED);
        // a refused link is attached without its terminus and detached right after, with an error condition
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        pump(() -> link.getRemoteState() == EndpointState.CLOSED || System.nanoTime() > until);
        return link.getRemoteState() == EndpointState.ACTIVE && link.getRemoteCondition().getCondition() == null
                && (link instanceof Receiver ? link.getRemoteSource() != null : link.getRemoteTarget() != null);
    }

    private void pump(BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] buffer = new byte[4096];
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not answer within " + WAIT);
            }
            int pending = transport.pending();
            if (pending > 0) {
                ByteBuffer head = transport.head();
                byte[] bytes = new byte[pending];
                head.get(bytes);
                out.write(bytes);
                out.flush();
                transport.pop(pending);
                continue;
            }
            if (transport.isClosed() || transport.capacity() < 0) {
                return;
            }
            int n;
            try {
                n = in.read(buffer, 0, Math.min(buffer.length, Math.max(1, transport.capacity())));
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                transport.close_tail();
                return;
            }
            if (n < 0) {
                transport.close_tail();
                return;
            }
            transport.tail().put(buffer, 0, n);
            transport.process();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
