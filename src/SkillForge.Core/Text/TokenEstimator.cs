namespace SkillForge
{
    /// <summary>
    /// Estimates model tokens without a tokenizer: about four characters per token for Latin text,
    /// one per character for CJK and other wide scripts. Good to about 15% for English prose and code.
    /// </summary>
    public static class TokenEstimator
    {
        public static int Estimate(string? text)
        {
            if (string.IsNullOrEmpty(text)) return 0;
            int narrow = 0, wide = 0;
            foreach (char c in text!)
            {
                if (c < 0x2E80 || char.IsLowSurrogate(c)) narrow++;
                else wide++;
            }
            return (narrow + 3) / 4 + wide;
        }
    }
}
