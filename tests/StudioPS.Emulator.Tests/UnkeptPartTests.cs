namespace StudioPS.Emulator.Tests;

/// <summary>A parts host that keeps nothing (a budget of 0): every part is made again while it is sent.</summary>
public sealed class UnkeptPartTests : IAsyncLifetime
{
    readonly EmulatorServer _server = new();

    public Task InitializeAsync()
    {
        _server.Config.PartsMemoryBytes = 0;
        return _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(DatasetTests.PartSizes), MemberType = typeof(DatasetTests))]
    public Task A_part_made_while_it_is_sent_is_a_whole_frame_with_its_Content_Length(long size) =>
        DatasetTests.AssertPartSentWhole(_server, size, expectKept: false);
}
