using StudioPS.Client;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class RedactorTests
{
    private const string Token = "isat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    private readonly Redactor _redactor = new(Token);

    [Fact]
    public void The_whole_token_is_removed() =>
        Assert.Equal("token=[redacted] end", _redactor.Redact("token=" + Token + " end"));

    [Theory]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(30)]
    public void Any_prefix_longer_than_8_characters_is_removed(int length)
    {
        var text = "saw " + Token.Substring(0, length) + " here";
        Assert.DoesNotContain(Token.Substring(0, 9), _redactor.Redact(text));
    }

    [Fact]
    public void Anything_shaped_like_a_Studio_token_is_removed_even_if_it_is_another_token() =>
        Assert.Equal("other [redacted]", _redactor.Redact("other isat_zzzzzzzzzzzzzzzzzzzz"));

    [Theory]
    [InlineData("Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer [redacted]")]
    [InlineData("authorization=token abcdefghijklmnop", "authorization=token [redacted]")]
    [InlineData("sent Bearer abcdefgh12345678", "sent Bearer [redacted]")]
    [InlineData("echo token Zx9_abcdefghijklm", "echo token [redacted]")]
    public void Authorization_values_are_removed(string input, string expected) =>
        Assert.Equal(expected, _redactor.Redact(input));

    [Theory]
    [InlineData("did not accept the token isat_****abcd from the -Token parameter. Studio said: Invalid token.")]
    [InlineData("Pass -Token to Connect-Studio, or set the token variable.")]
    [InlineData("Bearer tokens are sent in the Authorization header")]
    public void Prose_about_tokens_is_left_alone(string text) => Assert.Equal(text, _redactor.Redact(text));

    [Fact]
    public void The_masked_form_is_left_alone() =>
        Assert.Equal("isat_****6789", _redactor.Redact("isat_****6789"));

    [Fact]
    public void Ordinary_text_is_unchanged() =>
        Assert.Equal("GET /api/datachain/jobs/ -> 200 OK (3 ms)", _redactor.Redact("GET /api/datachain/jobs/ -> 200 OK (3 ms)"));
}
