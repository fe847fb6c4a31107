package dev.eventstore.launcher;

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Forgets a data subject: destroys its key in the key store (crypto-shredding). */
@Command(name = "forget", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE,
                "5:PostgreSQL (the key store) did not answer; nothing was forgotten",
                "8:unknown data subject: the key store never held a key for it; nothing was recorded"},
        description = {"Forget a data subject (right to erasure): destroy its key, so every field its events and snapshots"
                + " mark \"personal\" reads as erased everywhere (other processes: within their keys.cache.ttl.ms).",
                "The subject is a stream id, or the subject an application named (NewEvent.withDataSubject).",
                "Forgetting again changes nothing. Appends of personal data for the subject are refused afterwards.",
                "Stream ids, event types, subject ids and metadata are not erased (see the README, \"Deleting and forgetting\")."})
final class ForgetCommand implements Callable<Integer> {

    @Option(names = "--subject", required = true, description = "the data subject, e.g. Customer-7 or customer-7")
    String subject;

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() {
        StoreSettings store = settings.settings();
        ServerChecks.once(store).postgres();
        Instant at = store.keyStore().forget(subject);
        System.out.println("forgot " + subject + " (at " + at + "): its personal fields now read as erased");
        return 0;
    }
}
