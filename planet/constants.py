"""Physical constants and unit conversions shared by the Python code and the shaders.

shaders/common/constants.glsl declares the same names with the same values (`const float NAME = VALUE;`);
tests/test_constants.py holds the two files equal and checks that no other shader redefines a name.
Change a value in both places. Tuning parameters belong to the stages' Params, not here.
"""

SECONDS_PER_YEAR = 31557600.0   # Julian year (365.25 days) [s]
SECONDS_PER_DAY = 86400.0       # [s]
SECONDS_PER_HOUR = 3600.0       # [s]
ZERO_CELSIUS_K = 273.15         # 0 °C [K]
R_VAPOUR = 461.5                # specific gas constant of water vapour [J/(kg K)]
RHO_AIR = 1.2                   # surface air density [kg/m^3]
CARBON_PER_PPM = 4.164          # carbon in 1 ppm of CO2 over 1 km² [tC/km²]: 2.124 GtC per ppm / 5.1007e8 km²
