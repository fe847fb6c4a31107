package dev.eventstore.schemas.personal;

/**
 * Personal data for a forgotten subject was to be written: refused, nothing sent. A forgotten subject
 * stays forgotten (its key is gone); new data about the same person needs a new subject id.
 */
public final class SubjectForgottenException extends SubjectException {

    public SubjectForgottenException(String subject) {
        super(subject, "data subject " + subject + " was forgotten: its personal data can no longer be written");
    }
}
