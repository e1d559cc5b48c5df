package io.orderhub.format;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The golden cases' settings (under {@code orderhub.mappings}); default in {@code application.yaml}.
 *
 * @param corpusDir the directory of the GPL corpus files some golden cases take as input (cases whose file is
 *                  missing are skipped)
 */
@ConfigurationProperties("orderhub.mappings")
public record GoldenCaseProperties(String corpusDir) {
}
