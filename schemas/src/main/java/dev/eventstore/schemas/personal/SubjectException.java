package dev.eventstore.schemas.personal;

/** An error about one data subject, which it names. */
public abstract class SubjectException extends PersonalDataException {

    private final String subject;

    protected SubjectException(String subject, String message) {
        super(message);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
