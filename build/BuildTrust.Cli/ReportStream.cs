namespace BuildTrust.Cli;

/// <summary>
/// Standard output for machine reports: a write to it that fails (closed descriptor, a reader that went away) becomes an
/// <see cref="OutputClosedException"/>, which ends the command with exit 3 and one line, instead of a stack trace.
/// </summary>
internal sealed class ReportStream(Stream? inner) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (inner is null) throw Closed(null);
        try
        {
            inner.Write(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Closed(e);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (inner is null) throw Closed(null);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Closed(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (inner is null) return;
        try
        {
            inner.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Closed(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner?.Dispose();
        base.Dispose(disposing);
    }

    private static OutputClosedException Closed(Exception? cause) =>
        new(cause is null ? "standard output is closed: the report cannot be written" : $"standard output failed (its reader went away?): {cause.Message}", cause);
}
