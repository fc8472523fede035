// shaders/common/constants.glsl — physical constants and unit conversions (not tuning parameters).
// planet/constants.py mirrors every name and value here; tests/test_constants.py holds the two equal
// and checks that no other shader redefines them. Change a value in both places.
// Reads and writes no fields.
const float SECONDS_PER_YEAR = 31557600.0;   // Julian year (365.25 days) [s]
const float SECONDS_PER_DAY = 86400.0;       // [s]
const float SECONDS_PER_HOUR = 3600.0;       // [s]
const float ZERO_CELSIUS_K = 273.15;         // 0 °C [K]
const float R_VAPOUR = 461.5;                // specific gas constant of water vapour [J/(kg K)]
const float RHO_AIR = 1.2;                   // surface air density [kg/m^3]
const float CARBON_PER_PPM = 4.164;          // carbon in 1 ppm of CO2 over 1 km² [tC/km²]: 2.124 GtC per ppm / 5.1007e8 km²
