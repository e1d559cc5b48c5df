package io.orderhub.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The {@code mappings/} tree: the packaged copy on the classpath, or the directory named by
 * {@code ORDERHUB_MAPPINGS_DIR}. Files read through {@link #cached} are parsed once and again only
 * when the accepted content changes, so a mapping compiles once, not per document.
 *
 * <p>From a directory, edits go live without a restart, but only verified: when a file changes on
 * disk (checked at most once a second), the {@link MappingVerifier} runs the golden cases against a
 * view with the new content; the change replaces the running version only when they pass. A refused
 * change is kept in {@link #rejections()} with its reasons, and the old version stays active.
 */
@Component
public class MappingFiles {

    private static final Logger log = LoggerFactory.getLogger(MappingFiles.class);
    private static final long CHECK_INTERVAL_MS = 1000;

    private final Path directory;
    private final Clock clock;
    private final boolean staged;
    private final Map<String, Version> accepted;
    private final Map<String, Entry<?>> cache = new ConcurrentHashMap<>();
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    private volatile MappingVerifier verifier;
    /**
     * The packaged copies (no directory) cannot change while the hub runs: whether each exists and its content are
     * looked up in the jar once, not for every message (issue 17's profile: the notifier's template lookups read
     * the jar per mail).
     */
    private final Map<String, Boolean> packagedExists = new ConcurrentHashMap<>();
    private final Map<String, byte[]> packagedContent = new ConcurrentHashMap<>();
    private static final int MAX_PACKAGED_NAMES = 10_000;

    @Autowired
    public MappingFiles(MappingFilesProperties properties) {
        this(properties.mappingsDir());
    }

    /** From the directory given (blank: the packaged copies). */
    public MappingFiles(String mappingsDir) {
        this(StringUtils.hasText(mappingsDir) ? Path.of(mappingsDir).toAbsolutePath().normalize() : null,
                Clock.systemUTC());
    }

    public MappingFiles(Path directory, Clock clock) {
        this(directory, clock, false, new ConcurrentHashMap<>());
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalStateException("ORDERHUB_MAPPINGS_DIR=" + directory + " is not a directory");
        }
    }

    private MappingFiles(Path directory, Clock clock, boolean staged, Map<String, Version> accepted) {
        this.directory = directory;
        this.clock = clock;
        this.staged = staged;
        this.accepted = accepted;
    }

    /** Sets the check that changed files must pass before they go live. */
    public void verifyChangesWith(MappingVerifier verifier) {
        this.verifier = verifier;
    }

    /** Where mappings come from, for logs and the operations API. */
    public String location() {
        return directory == null ? "classpath:mappings/" : directory.toString();
    }

    /** The mappings directory, when mappings are read from one (not from the classpath). */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    public boolean exists(String name) {
        if (directory == null) {
            // names can come from documents (a customer's locale picks a template folder): at most so many kept
            if (packagedExists.size() >= MAX_PACKAGED_NAMES) {
                packagedExists.clear();
            }
            return packagedExists.computeIfAbsent(name, n -> new ClassPathResource("mappings/" + n).exists());
        }
        return accepted.containsKey(name) || Files.isRegularFile(resolve(name));
    }

    /** The content in force: for a directory, the last verified version of the file. */
    public byte[] read(String name) {
        if (directory == null) {
            return packagedContent.computeIfAbsent(name, this::readPackaged).clone();
        }
        return current(name).bytes();
    }

    private byte[] readPackaged(String name) {
        try (InputStream in = new ClassPathResource("mappings/" + name).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("mapping file " + name + " cannot be read from " + location(), e);
        }
    }

    /** The parsed form of a mapping file, parsed again only when the content in force changes. */
    @SuppressWarnings("unchecked")
    public <T> T cached(String name, Function<byte[], T> parser) {
        Version version = directory == null ? Version.CLASSPATH : current(name);
        Entry<T> entry = (Entry<T>) cache.get(name);
        if (entry != null && entry.digest().equals(version.digest())) {
            return entry.value();
        }
        T value = parser.apply(version == Version.CLASSPATH ? read(name) : version.bytes());
        cache.put(name, new Entry<>(value, version.digest()));
        return value;
    }

    /** Files in force with the version (SHA-256 prefix) and time they went live. */
    public Map<String, String> versions() {
        Map<String, String> out = new TreeMap<>();
        accepted.forEach((name, v) -> out.put(name, v.digest() + " since " + v.acceptedAt()));
        return out;
    }

    /** Changes refused by verification, by file. */
    public Map<String, Rejection> rejections() {
        return Map.copyOf(rejections);
    }

    /** A view in which {@code name} has the candidate content, for verification (no reloads of its own). */
    public MappingFiles withCandidate(String name, byte[] content) {
        Map<String, Version> view = new ConcurrentHashMap<>(accepted);
        view.put(name, Version.of(content, -1, clock.instant()));
        return new MappingFiles(directory, clock, true, view);
    }

    private Version current(String name) {
        Version known = accepted.get(name);
        if (staged) {
            return known != null ? known : accepted.computeIfAbsent(name, n -> Version.of(readDisk(n), -1, clock.instant()));
        }
        long now = clock.millis();
        if (known != null && now - known.checkedAt() < CHECK_INTERVAL_MS) {
            return known;
        }
        synchronized (this) {
            known = accepted.get(name);
            if (known != null && now - known.checkedAt() < CHECK_INTERVAL_MS) {
                return known;
            }
            long modified = lastModified(name);
            if (known == null) {
                Version first = Version.of(readDisk(name), modified, clock.instant());
                accepted.put(name, first);
                return first;
            }
            if (modified == known.modified()) {
                Version checked = known.checkedAt(now);
                accepted.put(name, checked);
                return checked;
            }
            return reload(name, known, modified, now);
        }
    }

    private Version reload(String name, Version running, long modified, long now) {
        byte[] content = readDisk(name);
        Rejection earlier = rejections.get(name);
        if (earlier != null && earlier.modified() == modified) {
            accepted.put(name, running.checkedAt(now));
            return running;
        }
        List<String> failures = verifier == null ? List.of() : verifier.verify(name, withCandidate(name, content));
        if (!failures.isEmpty()) {
            rejections.put(name, new Rejection(name, modified, clock.instant(), failures));
            log.warn("mapping change to {} refused, the running version stays active: {}", name, failures);
            accepted.put(name, running.checkedAt(now));
            return running;
        }
        rejections.remove(name);
        Version next = Version.of(content, modified, clock.instant()).checkedAt(now);
        accepted.put(name, next);
        log.info("mapping {} reloaded (version {})", name, next.digest());
        return next;
    }

    private byte[] readDisk(String name) {
        try {
            return Files.readAllBytes(resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("mapping file " + name + " cannot be read from " + directory, e);
        }
    }

    private long lastModified(String name) {
        try {
            return Files.getLastModifiedTime(resolve(name)).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("mapping file " + name + " is missing in " + directory, e);
        }
    }

    private Path resolve(String name) {
        Path path = directory.resolve(name).normalize();
        if (!path.startsWith(directory)) {
            throw new IllegalArgumentException("mapping name leaves the mappings directory: " + name);
        }
        return path;
    }

    /** A refused change: which file, the modification it was, when, and the golden cases it failed. */
    public record Rejection(String file, long modified, Instant at, List<String> failures) {
    }

    private record Version(byte[] bytes, long modified, Instant acceptedAt, long checkedAt, String digest) {

        static final Version CLASSPATH = new Version(new byte[0], 0, Instant.EPOCH, 0, "packaged");

        static Version of(byte[] bytes, long modified, Instant at) {
            try {
                byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Version(bytes, modified, at, at.toEpochMilli(), HexFormat.of().formatHex(sha).substring(0, 12));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Version checkedAt(long now) {
            return new Version(bytes, modified, acceptedAt, now, digest);
        }
    }

    private record Entry<T>(T value, String digest) {
    }
}
