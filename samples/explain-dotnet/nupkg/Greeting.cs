namespace BuildTrust.Samples; public static class Greeting { public static string Text => "hello"; }
