using System.Globalization;

namespace Closer.Web.Infrastructure.Localization;

/// <summary>
/// ICU has no Papiamentu data, so <c>new CultureInfo("pap")</c> carries English names and formats.
/// This builds the culture the app uses instead, in Curaçao orthography: Dutch-style numbers
/// (1.842.390,5), day-month-year dates, and Papiamentu month and day names.
/// </summary>
public static class PapiamentuCulture
{
    public static readonly string[] MonthNames =
        ["yanüari", "febrüari", "mart", "aprel", "mei", "yüni", "yüli", "ougùstùs", "sèptèmber", "òktober", "novèmber", "desèmber"];

    public static readonly string[] AbbreviatedMonthNames =
        ["yan", "feb", "mar", "apr", "mei", "yün", "yül", "oug", "sèp", "òkt", "nov", "des"];

    /// <summary>Sunday first, as <see cref="DayOfWeek"/> counts.</summary>
    public static readonly string[] DayNames =
        ["djadumingu", "djaluna", "djamars", "djarason", "djaweps", "djabièrnè", "djasabra"];

    public static readonly string[] AbbreviatedDayNames = ["dm", "dl", "dm", "dr", "dw", "db", "ds"];

    public static CultureInfo Create()
    {
        var culture = new CultureInfo("pap", useUserOverride: false);

        var dates = (DateTimeFormatInfo)CultureInfo.InvariantCulture.DateTimeFormat.Clone();
        dates.MonthNames = [.. MonthNames, ""];
        dates.MonthGenitiveNames = [.. MonthNames, ""];
        dates.AbbreviatedMonthNames = [.. AbbreviatedMonthNames, ""];
        dates.AbbreviatedMonthGenitiveNames = [.. AbbreviatedMonthNames, ""];
        dates.DayNames = DayNames;
        dates.AbbreviatedDayNames = AbbreviatedDayNames;
        dates.ShortestDayNames = AbbreviatedDayNames;
        dates.FirstDayOfWeek = DayOfWeek.Monday;
        dates.CalendarWeekRule = CalendarWeekRule.FirstFourDayWeek;
        dates.DateSeparator = "-";
        dates.TimeSeparator = ":";
        dates.ShortDatePattern = "dd-MM-yyyy";
        dates.LongDatePattern = "dddd d 'di' MMMM yyyy";
        dates.ShortTimePattern = "HH:mm";
        dates.LongTimePattern = "HH:mm:ss";
        dates.FullDateTimePattern = "dddd d 'di' MMMM yyyy HH:mm:ss";
        dates.MonthDayPattern = "d 'di' MMMM";
        dates.YearMonthPattern = "MMMM yyyy";
        dates.AMDesignator = "AM";
        dates.PMDesignator = "PM";
        culture.DateTimeFormat = dates;

        var numbers = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        numbers.NumberDecimalSeparator = ",";
        numbers.NumberGroupSeparator = ".";
        numbers.CurrencyDecimalSeparator = ",";
        numbers.CurrencyGroupSeparator = ".";
        numbers.PercentDecimalSeparator = ",";
        numbers.PercentGroupSeparator = ".";
        numbers.CurrencySymbol = "US$";
        numbers.CurrencyPositivePattern = 2; // "US$ 1.000,00"
        numbers.CurrencyNegativePattern = 12; // "US$ -1.000,00"
        numbers.PercentPositivePattern = 0; // "35 %"
        numbers.PercentNegativePattern = 0;
        numbers.NaNSymbol = "NaN";
        culture.NumberFormat = numbers;
        return culture;
    }
}
