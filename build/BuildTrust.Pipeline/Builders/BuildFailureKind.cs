namespace BuildTrust.Pipeline.Builders;

/// <summary>Why a builder did not finish; decides the exit code (README, "Builds").</summary>
public enum BuildFailureKind
{
    /// <summary>The recipe failed, timed out, or produced output that was refused (exit 1).</summary>
    BuildFailed,

    /// <summary>The engine's image is not the pinned one (exit 1).</summary>
    ImageMismatch,

    /// <summary>The engine is unreachable or lacks the image (exit 3).</summary>
    Infrastructure,

    /// <summary>The run was cancelled (exit 3).</summary>
    Cancelled,
}
