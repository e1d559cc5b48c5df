package io.orderhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh copy of the mappings tree for the test hub, made once per test JVM before the context starts. */
final class TestMappings {

    private static boolean copied;

    private TestMappings() {
    }

    static synchronized void copyOnce(Path source, Path target) {
        if (copied) {
            return;
        }
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : all.toList()) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
            copied = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
