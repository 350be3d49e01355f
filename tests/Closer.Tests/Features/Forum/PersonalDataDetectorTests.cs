using Closer.Web.Features.Forum;

namespace Closer.Tests.Features.Forum;

public sealed class PersonalDataDetectorTests
{
    [Theory]
    [InlineData("Escríbeme a maria.perez@example.com para más datos", PersonalDataDetector.Email)]
    [InlineData("Mi número es +58 412 555 1234", PersonalDataDetector.Phone)]
    [InlineData("Llámame al 0412-5551234", PersonalDataDetector.Phone)]
    [InlineData("whatsapp 987 654 321", PersonalDataDetector.Phone)]
    [InlineData("liga para (11) 98765-4321", PersonalDataDetector.Phone)]
    [InlineData("mi cédula es V-12.345.678", PersonalDataDetector.IdNumber)]
    [InlineData("Cédula: 1023456789", PersonalDataDetector.IdNumber)]
    [InlineData("DNI 45678912", PersonalDataDetector.IdNumber)]
    [InlineData("meu CPF é 123.456.789-09", PersonalDataDetector.IdNumber)]
    [InlineData("RUT 12.345.678-5", PersonalDataDetector.IdNumber)]
    [InlineData("pasaporte nº 123456789", PersonalDataDetector.IdNumber)]
    [InlineData("passport AB1234567", PersonalDataDetector.IdNumber)]
    [InlineData("mi PPT es 1234567", PersonalDataDetector.IdNumber)]
    public void Detects(string text, string kind) => Assert.Contains(kind, PersonalDataDetector.Detect(text));

    [Theory]
    [InlineData("Colombia hosted 1,842,390 refugees and migrants in November 2021 (R4V, 2021-11-25).")]
    [InlineData("Colômbia: 1.842.390 pessoas em novembro de 2021.")]
    [InlineData("The 2020 plan asked for USD 1.35 billion for 17 countries and 137 partners.")]
    [InlineData("Reunión el 12 de marzo a las 10:30 en la sede.")]
    [InlineData("Plans: 2019, 2020, 2021 and 2022.")]
    [InlineData("")]
    public void IgnoresFiguresDatesAndOrdinaryText(string text) => Assert.Empty(PersonalDataDetector.Detect(text));
}
