package dev.eventsource.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a fixed local address in front of a server, that a test cuts off and restores: the network between
 * a client and a broker failing and healing while both stay up, at the same address.
 *
 * <p>{@link #cut()} closes every connection through it and leaves new ones unanswered (accepted, never forwarded: a
 * client sees its requests time out, as behind a dead link); {@link #restore()} closes those and forwards again.
 */
final class TcpProxy implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger unanswered = new AtomicInteger();
    // The open sockets, both sides of each forwarded connection and the unanswered ones; guarded by this.
    private final Set<Socket> open = new HashSet<>();
    private boolean cut;
    private volatile InetSocketAddress target;

    private TcpProxy() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** @return a proxy listening on a local port, forwarding once {@link #forwardTo} is called */
    static TcpProxy start() throws IOException {
        TcpProxy proxy = new TcpProxy();
        proxy.acceptor.start();
        return proxy;
    }

    /** @return the proxy's address, {@code host:port} */
    String address() {
        return HOST + ":" + server.getLocalPort();
    }

    /** Sets where connections go: {@code host:port}. */
    void forwardTo(String address) {
        int colon = address.lastIndexOf(':');
        target = new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** Closes every connection through the proxy; until {@link #restore()}, new ones are accepted and unanswered. */
    synchronized void cut() {
        cut = true;
        closeOpen();
    }

    /** Closes the unanswered connections and forwards new ones again. */
    synchronized void restore() {
        closeOpen();
        cut = false;
    }

    /** @return the connections accepted and left unanswered while cut */
    int unanswered() {
        return unanswered.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            closeOpen();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream = null;
            try {
                synchronized (this) {
                    if (cut || target == null) {
                        open.add(client);
                        unanswered.incrementAndGet();
                        continue;
                    }
                }
                upstream = new Socket();
                upstream.connect(target, 1000);
                synchronized (this) {
                    if (cut) {
                        // Cut while connecting: this one goes unanswered too.
                        upstream.close();
                        open.add(client);
                        unanswered.incrementAndGet();
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
                if (upstream != null) {
                    closeQuietly(upstream);
                }
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // Closed by cut(), or by either side.
            } finally {
                synchronized (this) {
                    open.remove(from);
                    open.remove(to);
                }
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump-" + from.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    private void closeOpen() {
        List<Socket> sockets = new ArrayList<>(open);
        open.clear();
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            // No lingering: the peer sees its connection reset at once.
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // Already closed.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do.
        }
    }
}
