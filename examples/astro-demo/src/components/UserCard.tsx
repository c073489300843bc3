type Props = {
  name: string
  age: number
  tags: string[]
  address: { city: string; zip: string }
  joined: Date
}

export default function UserCard({ name, age, tags, address, joined }: Props) {
  return (
    <section className="user-card">
      <h2 className="user-name">{name}</h2>
      <span className="user-age">{age} years</span>
      <span className="user-city">{address.city}</span>
      <span className="user-joined">joined {joined.toISOString().slice(0, 10)}</span>
      <span className="user-tags">{tags.join(', ')}</span>
    </section>
  )
}
