package dev.eventstore.schemas.personal;

/**
 * Personal data for a forgotten subject was to be written: refused, nothing sent. A forgotten subject
 * stays forgotten (its key is gone); new data about the same person needs a new subject id.
 */
public final class SubjectForgottenException extends PersonalDataException {

    private final String subject;

    public SubjectForgottenException(String subject) {
        super("data subject " + subject + " was forgotten: its personal data can no longer be written");
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
