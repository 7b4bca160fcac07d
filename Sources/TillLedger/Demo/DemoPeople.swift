/// Names and places for demo accounts. A few carry accents and CJK characters so
/// the terminal's wide-character rendering is exercised by ordinary data.
enum DemoPeople {
    static let firstNames = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
        "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
        "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah",
        "José", "María", "Zoë", "Renée", "André", "Sofía", "Łukasz", "Björn", "Chloé", "Noël",
        "Wei", "Mei", "Hiroshi", "Yuki", "Priya", "Arjun", "Fatima", "Omar", "Ngozi", "Kwame",
    ]
    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Núñez", "Peña", "Brontë", "Müller", "Ødegaard", "Dvořák", "Côté", "O'Brien", "MacLeod", "Van der Berg",
        "陈", "李", "Tanaka", "Sato", "Patel", "Okafor", "Mensah", "Haddad", "Kowalski", "Nakamura",
    ]
    static let businesses = [
        "Union Hardware", "Main Street Diner", "Riverside Laundromat", "Valley Dental", "Oak Creek Farms",
        "Sunrise Bakery", "Pine Ridge Motel", "Hilltop Auto Repair", "Cedar Grove Church", "Lakeside Car Wash",
        "Golden Dragon Restaurant", "Café Olé", "Union Elementary School", "County Fire Station 3", "Brookside Apartments",
    ]
    static let streets = [
        "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
        "Walnut", "River", "Sunset", "Spring", "Church", "Mill", "Highland", "Forest", "Meadow", "Valley",
        "Union", "Jefferson", "Lincoln", "Madison", "Franklin", "Willow", "Birch", "Aspen", "Hickory", "Chestnut",
    ]
    static let streetTypes = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Way", "Blvd", "Pl"]
    static let towns = ["Union", "Union", "Union", "Riverside", "Oak Creek"]
}
