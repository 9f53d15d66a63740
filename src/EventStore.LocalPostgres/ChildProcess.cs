using System.ComponentModel;
using System.Diagnostics;

namespace EventStore.LocalPostgres;

/// <summary>Exit code and the last lines a child process wrote (stdout and stderr interleaved).</summary>
internal sealed record ProcessResult(string Command, int ExitCode, IReadOnlyList<string> Output)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() =>
        $"`{Command}` exited with code {ExitCode}. Its output:{Environment.NewLine}" +
        (Output.Count == 0 ? "  (none)" : string.Join(Environment.NewLine, Output.Select(line => "  " + line)));
}

/// <summary>Runs the PostgreSQL tools with captured output and a bounded wait.</summary>
internal static class ChildProcess
{
    private const int KeptLines = 60;

    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken ct)
    {
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var command = string.Join(' ', start.ArgumentList.Prepend(start.FileName).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
        var output = new Queue<string>();

        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Enqueue(e.Data);
                if (output.Count > KeptLines)
                {
                    output.Dequeue();
                }
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new LocalPostgresException($"Could not run `{command}`: {ex.Message}", ex);
        }

        // No tool may wait for input (initdb prompts only without --pwfile, but never hang on it).
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new LocalPostgresException($"`{command}` did not finish within {timeout.TotalSeconds:0} s and was killed.");
        }

        lock (output)
        {
            return new ProcessResult(command, process.ExitCode, [.. output]);
        }
    }
}
