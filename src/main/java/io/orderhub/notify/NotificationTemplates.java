package io.orderhub.notify;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import freemarker.cache.TemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.orderhub.mapping.MappingFiles;
import org.springframework.stereotype.Component;

/**
 * The mail templates: Freemarker files under {@code mappings/templates/<locale>/} (packaged, or in
 * ORDERHUB_MAPPINGS_DIR, where an edit goes live within a second without a restart). Per event type two
 * files: {@code <event>.txt.ftl}, the plain text, whose first line is {@code Subject: ...}, and
 * {@code <event>.html.ftlh}, the HTML alternative (HTML-escaped by Freemarker). A locale falls back to
 * its language ({@code zh-CN} → {@code zh}) and then to {@code en}.
 */
@Component
public class NotificationTemplates {

    public static final String DIR = "templates/";
    public static final String FALLBACK_LOCALE = "en";

    private final MappingFiles mappings;
    private final Configuration freemarker;

    public NotificationTemplates(MappingFiles mappings) {
        this.mappings = mappings;
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setTemplateLoader(new MappingsLoader(mappings));
        c.setDefaultEncoding(StandardCharsets.UTF_8.name());
        c.setLocalizedLookup(false);
        c.setRecognizeStandardFileExtensions(true);
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setFallbackOnNullLoopVariable(false);
        c.setNumberFormat("computer");
        // MappingFiles checks the files at most once a second; the cache asks it as often
        c.setTemplateUpdateDelayMilliseconds(1000);
        c.setAPIBuiltinEnabled(false);
        c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        this.freemarker = c;
    }

    /** The mail's subject, text and HTML. */
    public record Rendered(String locale, String subject, String text, String html) {
    }

    /** True when there is a template for this event type (in any locale of the fallback chain). */
    public boolean exists(String template, String locale) {
        return resolve(template, locale).isPresent();
    }

    /**
     * Renders {@code template} (e.g. {@code order-confirmed}) in the first locale of the chain that has
     * it, with the model.
     *
     * @throws TemplateFailure when no template exists or it does not render
     */
    public Rendered render(String template, String locale, Map<String, Object> model) {
        String found = resolve(template, locale).orElseThrow(() -> new TemplateFailure("no template " + DIR
                + "<locale>/" + template + ".txt.ftl for locale " + locale + " or " + FALLBACK_LOCALE));
        String text = process(found + "/" + template + ".txt.ftl", found, model);
        String html = process(found + "/" + template + ".html.ftlh", found, model);
        String subject;
        String body;
        int eol = text.indexOf('\n');
        String first = (eol < 0 ? text : text.substring(0, eol)).strip();
        if (!first.regionMatches(true, 0, "Subject:", 0, 8)) {
            throw new TemplateFailure(DIR + found + "/" + template + ".txt.ftl must start with a 'Subject: ...' line");
        }
        subject = first.substring(8).strip();
        body = eol < 0 ? "" : text.substring(eol + 1).stripLeading();
        if (subject.isEmpty()) {
            throw new TemplateFailure(DIR + found + "/" + template + ".txt.ftl renders an empty subject");
        }
        return new Rendered(found, subject, body, html);
    }

    /** The locales tried for {@code locale}: itself, its language, then en. */
    static List<String> chain(String locale) {
        List<String> out = new ArrayList<>();
        if (locale != null && !locale.isBlank()) {
            String tag = Locale.forLanguageTag(locale.strip().replace('_', '-')).toLanguageTag();
            out.add(tag);
            String language = Locale.forLanguageTag(tag).getLanguage();
            if (!language.isEmpty() && !out.contains(language)) {
                out.add(language);
            }
        }
        if (!out.contains(FALLBACK_LOCALE)) {
            out.add(FALLBACK_LOCALE);
        }
        return out;
    }

    private Optional<String> resolve(String template, String locale) {
        if (!template.matches("[a-z0-9][a-z0-9.-]*")) {
            return Optional.empty();
        }
        for (String l : chain(locale)) {
            if (l.matches("[A-Za-z0-9-]+") && mappings.exists(DIR + l + "/" + template + ".txt.ftl")
                    && mappings.exists(DIR + l + "/" + template + ".html.ftlh")) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private String process(String name, String locale, Map<String, Object> model) {
        try {
            Template t = freemarker.getTemplate(name, Locale.forLanguageTag(locale));
            StringWriter out = new StringWriter();
            t.process(model, out);
            return out.toString();
        } catch (TemplateException e) {
            throw new TemplateFailure(DIR + name + ": " + e.getMessageWithoutStackTop());
        } catch (IOException e) {
            throw new TemplateFailure(DIR + name + " cannot be read: " + e.getMessage());
        }
    }

    /** A template is missing or fails to render: a fix of the template and a replay bring the mail out. */
    public static class TemplateFailure extends RuntimeException {
        public TemplateFailure(String message) {
            super(message);
        }
    }

    /** Freemarker reads templates through MappingFiles: the version in force, packaged or from the directory. */
    private static final class MappingsLoader implements TemplateLoader {

        private final MappingFiles mappings;

        MappingsLoader(MappingFiles mappings) {
            this.mappings = mappings;
        }

        @Override
        public Object findTemplateSource(String name) {
            String file = DIR + name;
            return mappings.exists(file) ? file : null;
        }

        @Override
        public long getLastModified(Object source) {
            // the content's digest stands in for a time: the cache reloads when it differs
            return Arrays.hashCode(mappings.read((String) source));
        }

        @Override
        public Reader getReader(Object source, String encoding) {
            return new StringReader(new String(mappings.read((String) source), StandardCharsets.UTF_8));
        }

        @Override
        public void closeTemplateSource(Object source) {
        }
    }
}
