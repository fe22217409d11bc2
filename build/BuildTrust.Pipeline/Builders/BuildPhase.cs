namespace BuildTrust.Pipeline.Builders;

public enum BuildPhase
{
    Connecting,
    CheckingImage,
    CopyingSource,
    Building,
    Collecting,
    Signing,
    Finished,
    Failed,
}
