using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Errors;

/// <summary>Requests the server cannot take are the client's error, answered with their own status and words, never 500.</summary>
public abstract class ErrorStatusSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A body of <paramref name="bytes"/> zeros, written as it is sent (never held in memory).</summary>
    private sealed class ZerosContent(long bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[1024 * 1024];
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes;
            return true;
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
    }

    private async Task<HttpClient> SpanishImporterAsync()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "MANOS", "COL");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        return client;
    }

    [Fact]
    public async Task A200MegabyteUpload_Is413_WithTheLimit_InTheReadersLanguage()
    {
        var client = await SpanishImporterAsync();
        using var form = new MultipartFormDataContent();
        var file = new ZerosContent(200L * 1024 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "huge.xlsx");
        var response = await client.PostAsync("/api/v1/imports?lang=es", form, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        // The import endpoint reads its form itself and names its own limit.
        Assert.Equal("El archivo pesa más de 20 MB.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AMultipartBodyWithoutBoundary_Is400ProblemDetails()
    {
        var client = await SpanishImporterAsync();
        var content = new ByteArrayContent("--x\r\nnot really multipart\r\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        var response = await client.PostAsync("/api/v1/imports?lang=es", content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Solicitud incorrecta", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Anonymous_Api_Is401_WithItsOwnTitle()
    {
        var client = app.Client();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        var response = await client.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Es necesario iniciar sesión", problem.GetProperty("title").GetString());
        Assert.DoesNotContain("inesperado", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnsupportedMediaType_Is415_WithItsOwnTitle()
    {
        var client = await app.ApiClientAsync(R.Admin);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        var response = await client.PutAsync("/api/v1/organisations/MANOS", new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await ProblemAsync(response);
        // A token holder reads answers in their own language (English here), whatever the request asks.
        Assert.Equal("Unsupported media type", problem.GetProperty("title").GetString());
    }
}

public sealed class ErrorStatusSqlite(SqliteApp app) : ErrorStatusSuite<SqliteApp>(app);
