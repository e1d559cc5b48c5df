package io.orderhub.mapping;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where {@link MappingFiles} reads the mappings from (under {@code orderhub}); default in {@code application.yaml}.
 *
 * @param mappingsDir a directory whose mappings are read and reloaded on change (verified); unset: the packaged copies
 */
@ConfigurationProperties("orderhub")
public record MappingFilesProperties(String mappingsDir) {
}
